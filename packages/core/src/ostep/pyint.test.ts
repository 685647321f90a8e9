import { describe, expect, it } from "vitest";
import { convertSize, optparseInt, pyInt } from "./pyint.js";

const value = (r: ReturnType<typeof pyInt>) => (r.ok ? r.value : r.reason);

describe("pyInt (Python's int())", () => {
  it.each([
    [" 1_000 ", 1000],
    ["-5", -5],
    ["+4", 4],
    ["007", 7],
    ["٣٤", 34],
    ["１２", 12],
  ] as const)("reads %j as %d", (text, want) => {
    expect(value(pyInt(text))).toBe(want);
  });
  it.each(["", "x", "1__0", "_1", "1_", "1.5", "0x10", "- 5"])("refuses %j", (text) => {
    expect(pyInt(text).ok).toBe(false);
  });
  it("reads prefixes that match the base", () => {
    expect(value(pyInt("0o17", 8))).toBe(15);
    expect(value(pyInt("017", 8))).toBe(15);
    expect(value(pyInt("0x_1F", 16))).toBe(31);
    expect(value(pyInt("-0x10", 16))).toBe(-16);
  });
  it("refuses values a double cannot hold exactly", () => {
    expect(pyInt("9007199254740993").ok).toBe(false);
  });
});

describe("optparseInt (optparse type=int)", () => {
  it.each([
    ["010", 8],
    ["0", 0],
    ["0x1f", 31],
    ["0X10", 16],
    ["0b101", 5],
    ["0b", 0],
    [" 010", 10],
    ["-010", -10],
    ["0o7", 7],
  ] as const)("reads %j as %d", (text, want) => {
    expect(value(optparseInt(text))).toBe(want);
  });
  it("refuses 08 (octal) and words", () => {
    expect(optparseInt("08").ok).toBe(false);
    expect(optparseInt("two").ok).toBe(false);
  });
});

describe("convertSize (the simulators' convert())", () => {
  it.each([
    ["16", 16],
    ["64k", 65536],
    ["1K", 1024],
    ["32m", 32 * 1024 * 1024],
    ["1g", 1024 ** 3],
    ["-1", -1],
    ["-2k", -2048],
  ] as const)("reads %j as %d", (text, want) => {
    expect(value(convertSize(text))).toBe(want);
  });
  it("refuses an empty size, a bad number and a size beyond 2^53", () => {
    expect(convertSize("").ok).toBe(false);
    expect(convertSize("1.5k").ok).toBe(false);
    expect(convertSize("0x10").ok).toBe(false);
    expect(convertSize("9999999999g").ok).toBe(false);
  });
});
