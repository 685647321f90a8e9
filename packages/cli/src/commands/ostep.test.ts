import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIo } from "../io.js";
import { main } from "../main.js";

/**
 * Golden outputs recorded from the original Python 3 simulators (CPython 3.11): stdout must
 * match byte for byte. `ends` says how the original ended: "ok" (exit 0), "exit" (its own
 * error message on stdout and exit 1), "crash" (a traceback) or "hang" (an endless loop),
 * where memsim must print the same stdout so far, then one line on stderr, and fail.
 */
interface Golden {
  readonly args: string[];
  readonly stdout: string;
  readonly exit: number;
  readonly ends: "ok" | "exit" | "crash" | "hang";
}

const GOLDEN_DIR = fileURLToPath(new URL("./ostep-golden/", import.meta.url));
const SIMULATORS = [
  "relocation",
  "segmentation",
  "malloc",
  "paging-linear-translate",
  "paging-multilevel-translate",
  "paging-policy",
] as const;

const load = (name: string): Golden[] =>
  JSON.parse(readFileSync(`${GOLDEN_DIR}${name}.json`, "utf8")) as Golden[];

async function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = memoryIo();
  const code = await main(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

/** One line, naming memsim, and nothing that looks like a stack trace. */
function expectOneLineError(stderr: string): void {
  expect(stderr).toMatch(/^memsim: [^\n]+\n$/);
  expect(stderr).not.toMatch(/\bat .*:\d+:\d+/);
}

describe("memsim ostep: golden outputs of the Python originals", () => {
  const cwd = process.cwd();
  const columns = process.env.COLUMNS;
  // paging-policy's -f files are named relative to the directory the original ran in,
  // and the help was recorded for an 80-column terminal.
  beforeAll(() => {
    process.chdir(`${GOLDEN_DIR}files`);
    process.env.COLUMNS = "80";
  });
  afterAll(() => {
    process.chdir(cwd);
    if (columns === undefined) delete process.env.COLUMNS;
    else process.env.COLUMNS = columns;
  });

  for (const name of SIMULATORS) {
    describe(name, () => {
      const cases = load(name);
      it("has at least a dozen recorded invocations", () => {
        expect(cases.filter((c) => c.ends === "ok").length).toBeGreaterThanOrEqual(10);
        expect(cases.length).toBeGreaterThanOrEqual(12);
      });
      for (const g of cases) {
        it(`${g.args.join(" ") || "(defaults)"} [${g.ends}]`, async () => {
          const r = await run(["ostep", name, ...g.args]);
          expect(r.stdout).toBe(g.stdout);
          if (g.ends === "ok" || g.ends === "exit") {
            expect(r.code).toBe(g.exit);
            expect(r.stderr).toBe("");
          } else {
            expect(r.code).not.toBe(0);
            expectOneLineError(r.stderr);
          }
        });
      }
    });
  }
});

describe("memsim ostep: random-draw order over many seeds", () => {
  interface SeedRuns {
    readonly args: string[];
    readonly sha256: string[];
  }
  const seeds = JSON.parse(readFileSync(`${GOLDEN_DIR}seeds.json`, "utf8")) as Record<string, SeedRuns[]>;
  const sha = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 16);

  for (const name of SIMULATORS) {
    for (const conf of seeds[name] ?? []) {
      it(`${name} ${conf.args.join(" ")}: seeds 0..${conf.sha256.length - 1} hash like the original's output`, async () => {
        const got: string[] = [];
        for (let seed = 0; seed < conf.sha256.length; seed++) {
          const r = await run(["ostep", name, "-s", String(seed), ...conf.args]);
          expect(r.code).toBe(0);
          got.push(sha(r.stdout));
        }
        expect(got).toEqual(conf.sha256);
      });
    }
  }
  it("covers every simulator", () => {
    expect(Object.keys(seeds).sort()).toEqual([...SIMULATORS].sort());
  });
});

describe("memsim ostep: flags and errors", () => {
  const saved = process.env.COLUMNS;
  beforeAll(() => {
    process.env.COLUMNS = "80";
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.COLUMNS;
    else process.env.COLUMNS = saved;
  });

  it.each([
    ["relocation", ["-s", "x"], "option -s: invalid integer value: 'x'"],
    ["relocation", ["-s", "08"], "option -s: invalid integer value: '08'"],
    ["relocation", ["--bogus"], "no such option: --bogus"],
    ["relocation", ["-z"], "no such option: -z"],
    ["relocation", ["-s"], "-s option requires 1 argument"],
    ["relocation", ["--compute=1"], "--compute option does not take a value"],
    ["malloc", ["--co"], "ambiguous option: --co (--coalesce, --compute?)"],
    ["paging-policy", ["-b", "two"], "option -b: invalid integer value: 'two'"],
    ["paging-multilevel-translate", ["--allocated"], "--allocated option requires 1 argument"],
  ])("%s %j is a usage error: one line, exit 2", async (name, args, message) => {
    const r = await run(["ostep", name, ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`memsim: ostep ${name}: ${message}\n`);
  });

  it("an unknown simulator is a usage error naming the six", async () => {
    const r = await run(["ostep", "tlb"]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr);
    expect(r.stderr).toContain("paging-multilevel-translate");
  });

  it("without a simulator lists them", async () => {
    const r = await run(["ostep"]);
    expect(r.code).toBe(0);
    for (const name of SIMULATORS) expect(r.stdout).toContain(name);
  });

  it("a missing -f file stops paging-policy after the ARG echo with one line", async () => {
    const r = await run(["ostep", "paging-policy", "-f", `${GOLDEN_DIR}files/no-such-file.txt`, "-c"]);
    expect(r.code).toBe(1);
    expect(r.stdout.startsWith("ARG addresses -1\nARG addressfile ")).toBe(true);
    expectOneLineError(r.stderr);
    expect(r.stderr).toContain("no-such-file.txt");
  });

  it("reads -f by absolute path from anywhere", async () => {
    const file = `${GOLDEN_DIR}files/belady.txt`;
    const r = await run(["ostep", "paging-policy", "-f", file, "-c", "-C", "3"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`ARG addressfile ${file}\n`);
    expect(r.stdout).toContain("FINALSTATS hits 3   misses 9   hitrate 25.00");
  });

  it("`--` ends the options as in optparse (the flags after it are ignored)", async () => {
    const plain = await run(["ostep", "relocation"]);
    const ended = await run(["ostep", "relocation", "--", "-s", "3", "-c"]);
    expect(ended.code).toBe(0);
    expect(ended.stdout).toBe(plain.stdout);
  });

  it("-h lays out the help as optparse does for the width in $COLUMNS", async () => {
    process.env.COLUMNS = "60";
    const r = await run(["ostep", "paging-policy", "-h"]);
    process.env.COLUMNS = "80";
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").every((line) => line.length <= 58)).toBe(true);
    expect(r.stdout).toContain("  -C CACHESIZE, --cachesize=CACHESIZE\n");
  });
});

describe("docs/ostep.md", () => {
  const doc = readFileSync(fileURLToPath(new URL("../../../../docs/ostep.md", import.meta.url)), "utf8");
  const examples = [...doc.matchAll(/```\n\$ (memsim ostep [^\n]*)\n([\s\S]*?)```/g)];
  it("has an example for every simulator", () => {
    for (const name of SIMULATORS)
      expect(examples.some((m) => m[1]!.startsWith(`memsim ostep ${name} `))).toBe(true);
  });
  for (const [, command, shown] of examples) {
    it(`${command} runs and prints what the page shows`, async () => {
      const r = await run(command!.split(" ").slice(1));
      expect(r.code).toBe(0);
      if (shown !== "") expect(r.stdout).toBe(shown);
    });
  }
});

describe("memsim ostep --json (memsim's own flag)", () => {
  async function json(args: string[]): Promise<{ code: number; doc: Record<string, unknown> }> {
    const r = await run(["ostep", ...args, "--json"]);
    return { code: r.code, doc: JSON.parse(r.stdout) as Record<string, unknown> };
  }

  it("gives relocation's registers and the same answers as -c", async () => {
    const text = (await run(["ostep", "relocation", "-s", "1", "-c"])).stdout;
    const { code, doc } = await json(["relocation", "-s", "1"]);
    expect(code).toBe(0);
    expect(doc.registers).toEqual({ base: 13884, limit: 290 });
    const translations = doc.translations as { va: number; kind: string; pa?: number }[];
    expect(translations.map((t) => t.kind)).toEqual([
      "violation",
      "valid",
      "violation",
      "violation",
      "violation",
    ]);
    expect(text).toContain(`VALID: 0x${translations[1]!.pa!.toString(16).padStart(8, "0")}`);
    expect(doc.stopped).toBeNull();
  });

  it("gives paging-policy's steps and the FINALSTATS numbers even without -c", async () => {
    const { doc } = await json(["paging-policy", "-a", "1,2,3,4,1,2,5,1,2,3,4,5", "-C", "3"]);
    expect(doc.hits).toBe(3);
    expect(doc.misses).toBe(9);
    expect(doc.hitRate).toBe(25);
    expect((doc.steps as unknown[]).length).toBe(12);
  });

  it("gives malloc's operations with the free list after each", async () => {
    const { doc } = await json(["malloc", "-A", "+10,+20,-0,+5", "-C"]);
    const ops = doc.operations as { kind: string; freeList: unknown[] }[];
    expect(ops.map((o) => o.kind)).toEqual(["alloc", "alloc", "free", "alloc"]);
    expect(ops[3]!.freeList).toEqual([
      { addr: 1005, size: 5 },
      { addr: 1030, size: 70 },
    ]);
  });

  it("gives the two-level machine and each walk", async () => {
    const { doc } = await json(["paging-multilevel-translate", "-s", "1", "-n", "2"]);
    expect(doc.pdbr).toBe(17);
    expect((doc.memory as string[]).length).toBe(128);
    const walks = doc.translations as { va: number; result: { kind: string; pa?: number; value?: number } }[];
    expect(walks[0]).toMatchObject({ va: 0x6c74, result: { kind: "ok", pa: 0xc34, value: 6 } });
  });

  it("says where the original would stop", async () => {
    const r = await run(["ostep", "relocation", "-p", "1k", "--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).stopped).toEqual({
      exitCode: 1,
      reason: "Error: physical memory size must be GREATER than address space size (for this simulation)",
    });
  });
});
