import { describe, expect, it } from "vitest";
import { computeLayout, vaHex } from "./layout.js";

const sizes = { text: 16384, data: 8192, bss: 8192, stack: 65536 };

describe("computeLayout", () => {
  it("follows Linux on x86-64: text at 0x400000, stack under the top page, guard gap, mmap below", () => {
    const L = computeLayout({ userTop: 2 ** 47, pageSize: 4096 }, sizes);
    if (typeof L === "string") throw new Error(L);
    expect(L.textStart).toBe(0x400000);
    expect(L.dataStart).toBe(0x404000);
    expect(L.bssStart).toBe(0x406000);
    expect(L.heapStart).toBe(0x408000);
    expect(L.stackTop).toBe(0x7ffffffff000);
    expect(L.guardGap).toBe(256 * 4096);
    expect(L.mmapBase).toBe(L.stackTop - 65536 - 256 * 4096);
  });

  it("uses the classic 0x08048000 on 32-bit x86 and page 1 on tiny spaces", () => {
    const x86 = computeLayout({ userTop: 0xc0000000, pageSize: 4096 }, sizes);
    expect(typeof x86 !== "string" && x86.textStart).toBe(0x08048000);
    const tiny = computeLayout({ userTop: 24576, pageSize: 32 }, { text: 64, data: 32, bss: 32, stack: 256 });
    if (typeof tiny === "string") throw new Error(tiny);
    expect(tiny).toMatchObject({ textStart: 32, stackTop: 24576, guardGap: 32, mmapBase: 24576 - 256 - 32 });
  });

  it("refuses a program that does not fit, with a sentence", () => {
    expect(computeLayout({ userTop: 24576, pageSize: 32 }, sizes)).toMatch(
      /too small for text, data, bss, a 65536-byte stack/,
    );
  });

  it("prints upper-half addresses as 64-bit hex", () => {
    expect(vaHex(-(2 ** 47))).toBe("0xffff800000000000");
    expect(vaHex(0x400000)).toBe("0x400000");
  });
});
