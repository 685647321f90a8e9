import { describe, expect, it } from "vitest";
import type { SwapSlot } from "../base/index.js";
import { SwapSpace } from "./swap.js";

describe("SwapSpace", () => {
  it("allocates slots with use counts and frees them at zero", () => {
    const s = new SwapSpace(2, 16);
    const a = s.alloc(2) as SwapSlot;
    const b = s.alloc(1) as SwapSlot;
    expect(s.alloc(1)).toBeNull();
    expect(s.freeCount()).toBe(0);
    expect(s.put(a)).toBe(false);
    expect(s.put(a)).toBe(true);
    s.dup(b);
    expect(s.count(b)).toBe(2);
    expect(s.freeCount()).toBe(1);
    expect(() => s.put(a)).toThrow(/free slot/);
  });

  it("keeps page bytes", () => {
    const s = new SwapSpace(3, 8);
    const slot = s.alloc(1) as SwapSlot;
    s.write(slot, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(Array.from(s.read(slot))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
