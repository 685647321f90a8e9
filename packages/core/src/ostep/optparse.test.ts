import { describe, expect, it } from "vitest";
import { formatHelp, type OptionSpec, optparse, wrapText } from "./optparse.js";

const SPECS: OptionSpec[] = [
  { short: "-s", long: "--seed", dest: "seed", type: "int", default: 0, help: "the random seed" },
  { short: "-b", long: "--base", dest: "base", type: "string", default: "-1", help: "base" },
  { short: "-c", long: "--compute", dest: "solve", type: "flag", default: false, help: "compute" },
  { short: "-C", long: "--coalesce", dest: "coalesce", type: "flag", default: false, help: "coalesce" },
];

function values(argv: string[]): Record<string, unknown> {
  const r = optparse(SPECS, argv);
  if (r.kind !== "values") throw new Error(`expected values, got ${JSON.stringify(r)}`);
  return Object.fromEntries(r.values);
}

describe("optparse", () => {
  it("keeps defaults unconverted when options are absent", () => {
    expect(values([])).toEqual({ seed: 0, base: "-1", solve: false, coalesce: false });
  });
  it("clusters short options and takes the rest of the cluster as a value", () => {
    expect(values(["-cCs3"])).toMatchObject({ solve: true, coalesce: true, seed: 3 });
    expect(values(["-cs", "010"])).toMatchObject({ solve: true, seed: 8 });
  });
  it("takes the next argument as the value even when it starts with a dash", () => {
    expect(values(["-b", "-1k", "-s", "-3"])).toMatchObject({ base: "-1k", seed: -3 });
  });
  it("accepts --name=value, --name value and unique prefixes; the last one wins", () => {
    expect(values(["--seed=5", "--se", "6", "--ba=x"])).toMatchObject({ seed: 6, base: "x" });
  });
  it("ignores positional arguments and everything after --", () => {
    const r = optparse(SPECS, ["pos", "-c", "--", "-s", "4"]);
    expect(r.kind === "values" && Object.fromEntries(r.values)).toMatchObject({ solve: true, seed: 0 });
    expect(r.kind === "values" && r.args).toEqual(["pos", "-s", "4"]);
  });
  it.each([
    [["-x"], "no such option: -x"],
    [["--nope"], "no such option: --nope"],
    [["--co"], "ambiguous option: --co (--coalesce, --compute?)"],
    [["-s"], "-s option requires 1 argument"],
    [["--seed"], "--seed option requires 1 argument"],
    [["-s", "08"], "option -s: invalid integer value: '08'"],
    [["--compute=yes"], "--compute option does not take a value"],
  ])("%j is the error %j", (argv, message) => {
    expect(optparse(SPECS, argv)).toEqual({ kind: "error", message });
  });
  it("stops at -h even when a later option is bad, but not when an earlier one is", () => {
    expect(optparse(SPECS, ["-h", "-s", "x"]).kind).toBe("help");
    expect(optparse(SPECS, ["-s", "x", "-h"]).kind).toBe("error");
    expect(optparse(SPECS, ["--he"]).kind).toBe("help");
  });
});

describe("formatHelp and wrapText", () => {
  it("lays options out like optparse's IndentedHelpFormatter", () => {
    expect(formatHelp("x.py", SPECS)).toBe(
      [
        "Usage: x.py [options]",
        "",
        "Options:",
        "  -h, --help            show this help message and exit",
        "  -s SEED, --seed=SEED  the random seed",
        "  -b BASE, --base=BASE  base",
        "  -c, --compute         compute",
        "  -C, --coalesce        coalesce",
        "",
      ].join("\n"),
    );
  });
  // Expected lists printed by CPython 3.11's textwrap.wrap.
  it("wraps like textwrap, breaking after hyphens between letters", () => {
    expect(wrapText("list order (ADDRSORT, SIZESORT+, SIZESORT-, INSERT-FRONT, INSERT-BACK)", 54)).toEqual([
      "list order (ADDRSORT, SIZESORT+, SIZESORT-, INSERT-",
      "FRONT, INSERT-BACK)",
    ]);
    expect(wrapText("a well-known e-mail multi-level-thing x-y", 12)).toEqual([
      "a well-known",
      "e-mail",
      "multi-level-",
      "thing x-y",
    ]);
    expect(wrapText("supercalifragilisticexpialidocious word", 10)).toEqual([
      "supercalif",
      "ragilistic",
      "expialidoc",
      "ious word",
    ]);
  });
});
