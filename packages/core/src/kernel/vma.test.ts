import { describe, expect, it } from "vitest";
import {
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  parseProt,
  protString,
  type Vma,
  VmaList,
  vmaPageIndex,
} from "./vma.js";

const anon = (start: number, end: number, label: string | null = null): Vma => ({
  start,
  end,
  prot: PROT_READ | PROT_WRITE,
  kind: "mmap-anon",
  shared: false,
  backing: { kind: "anon" },
  path: "",
  label,
});

describe("VmaList", () => {
  it("finds the area containing an address", () => {
    const l = new VmaList();
    l.insert(anon(0x3000, 0x5000));
    l.insert(anon(0x1000, 0x2000));
    expect(l.find(0x1fff)?.start).toBe(0x1000);
    expect(l.find(0x2000)).toBeNull();
    expect(l.find(0x4000)?.end).toBe(0x5000);
    expect(l.isFree(0x2000, 0x3000)).toBe(true);
    expect(l.isFree(0x2000, 0x3001)).toBe(false);
  });

  it("carves a range out of an area, keeping file offsets right", () => {
    const l = new VmaList();
    l.insert({ ...anon(0x1000, 0x5000), backing: { kind: "file", file: 1, offset: 0x2000 } });
    const inner = l.carve(0x2000, 0x3000);
    expect(inner.length).toBe(1);
    expect(l.all().map((v) => [v.start, v.end])).toEqual([
      [0x1000, 0x2000],
      [0x2000, 0x3000],
      [0x3000, 0x5000],
    ]);
    const last = l.all()[2] as Vma;
    expect(vmaPageIndex(last, 0x3000, 12)).toBe(4);
  });
});

describe("permissions", () => {
  it("parses and prints them as /proc does", () => {
    expect(parseProt("rw")).toBe(PROT_READ | PROT_WRITE);
    expect(parseProt("r-x")).toBe(PROT_READ | PROT_EXEC);
    expect(parseProt("none")).toBe(0);
    expect(parseProt("rr")).toBeNull();
    expect(parseProt("q")).toBeNull();
    expect(protString(PROT_READ | PROT_EXEC, false)).toBe("r-xp");
    expect(protString(PROT_READ | PROT_WRITE, true)).toBe("rw-s");
  });
});
