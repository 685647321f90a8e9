import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixedDigits, pyFloat, pyPercent, pyPrintArgs, pyStr } from "./pyformat.js";

// Expected strings printed by CPython 3.11 for the same format and value.
describe("pyPercent", () => {
  it.each([
    ["%08x", -5, "-0000005"],
    ["%x", -255, "-ff"],
    ["%4d", -5, "  -5"],
    ["%2d", 123, "123"],
    ["%-5d|", 42, "42   |"],
    ["%05d", -42, "-0042"],
    ["%+d", 7, "+7"],
    ["%03x", 10, "00a"],
    ["%s", true, "True"],
  ] as const)("%s %% %s is %j", (fmt, arg, want) => {
    expect(pyPercent(fmt, arg)).toBe(want);
  });
  it("formats lists as Python reprs, right-aligned by width", () => {
    expect(pyPercent("%12s", [1, 2, 3])).toBe("   [1, 2, 3]");
    expect(pyPercent("%12s", [])).toBe("          []");
    expect(pyPercent("%s", [-1, "a"])).toBe("[-1, 'a']");
  });
  it("rounds %.Nf from the exact binary value, ties to even (toFixed does not)", () => {
    expect(pyPercent("%.2f", pyFloat(3.125))).toBe("3.12");
    expect((3.125).toFixed(2)).toBe("3.13");
    expect(pyPercent("%.2f", pyFloat(0.125))).toBe("0.12");
    expect(pyPercent("%.2f", pyFloat(2.675))).toBe("2.67");
    expect(pyPercent("%.0f", pyFloat(2.5))).toBe("2");
    expect(pyPercent("%.0f", pyFloat(3.5))).toBe("4");
    expect(pyPercent("%.3f", pyFloat(-0.0005))).toBe("-0.001");
    expect(pyPercent("%.2f", pyFloat(1e22))).toBe("10000000000000000000000.00");
  });
  it("keeps %% and refuses a wrong argument count", () => {
    expect(pyPercent("100%% of %d", 3)).toBe("100% of 3");
    expect(() => pyPercent("%d %d", 1)).toThrow();
    expect(() => pyPercent("%d", 1, 2)).toThrow();
  });
});

describe("fixedDigits", () => {
  it("agrees with toFixed except on exact ties", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 6 }), (x, p) => {
        const scaled = x * 10 ** p;
        const tie = Number.isInteger(scaled * 2) && !Number.isInteger(scaled);
        if (!tie) expect(fixedDigits(x, p)).toBe(x.toFixed(p));
      }),
    );
  });
});

describe("pyStr and print", () => {
  it("prints bools, ints, floats and lists as Python does", () => {
    expect(pyPrintArgs("coalesce", false, 3)).toBe("coalesce False 3");
    expect(pyPrintArgs("allocList", "")).toBe("allocList ");
    expect(pyStr(pyFloat(3))).toBe("3.0");
    expect(pyStr(pyFloat(1e16))).toBe("1e+16");
    expect(pyStr(pyFloat(0.1))).toBe("0.1");
  });
});
