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
  // paging-policy's -f files are named relative to the directory the original ran in.
  beforeAll(() => process.chdir(`${GOLDEN_DIR}files`));
  afterAll(() => process.chdir(cwd));

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
