import { PTE_ACCESSED, PTE_COW, PTE_DIRTY, PTE_READ, PTE_USER, PTE_VALID, PTE_WRITE } from "@memsim/core";
import { describe, expect, it } from "vitest";
import { spellPteBits } from "./pte-bits.js";

describe("PTE bits", () => {
  it("spells every set bit in order and nothing else", () => {
    expect(spellPteBits(0)).toEqual([]);
    expect(spellPteBits(PTE_VALID | PTE_READ | PTE_WRITE | PTE_USER | PTE_ACCESSED | PTE_DIRTY)).toEqual([
      "present",
      "read",
      "write",
      "user",
      "accessed",
      "dirty",
    ]);
    expect(spellPteBits(PTE_VALID | PTE_READ | PTE_COW)).toEqual(["present", "read", "copy-on-write"]);
  });
});
