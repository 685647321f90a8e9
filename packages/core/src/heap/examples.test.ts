/**
 * Runs every examples/memcheck-*.msim scenario and checks its verdict, worded as
 * Valgrind's memcheck words it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseScenario, ScenarioRunner } from "../scenario/index.js";
import "./scenario-commands.js";

const DIR = new URL("../../../../examples/", import.meta.url);

function run(file: string): string[] {
  const p = parseScenario(readFileSync(new URL(file, DIR), "utf8"));
  if (!p.ok) throw new Error(`${file}:${p.error.line}:${p.error.col}: ${p.error.message}`);
  const out: string[] = [];
  const r = new ScenarioRunner(p.value, {
    onOutput: (o) => {
      if (o.kind === "print") out.push(...o.text.split("\n"));
    },
  }).run();
  if (r.error) throw new Error(`${file}:${r.error.line}:${r.error.col}: ${r.error.message}`);
  return out.map((l) => l.replace(/^==\d+== /, ""));
}

const EXPECTED: Record<string, readonly string[]> = {
  "memcheck-definite.msim": [
    "40 bytes in 1 blocks are definitely lost in loss record 1 of 1",
    "   definitely lost: 40 bytes in 1 blocks",
  ],
  "memcheck-indirect.msim": [
    "16 bytes in 1 blocks are indirectly lost in loss record 1 of 3",
    "48 (16 direct, 32 indirect) bytes in 1 blocks are definitely lost in loss record 3 of 3",
    "   by build_list (line 9)",
    "   indirectly lost: 32 bytes in 2 blocks",
  ],
  "memcheck-possible.msim": [
    "64 bytes in 1 blocks are possibly lost in loss record 1 of 1",
    "     possibly lost: 64 bytes in 1 blocks",
  ],
  "memcheck-reachable.msim": [
    "128 bytes in 1 blocks are still reachable in loss record 1 of 1",
    "   still reachable: 128 bytes in 1 blocks",
    "  total heap usage: 2 allocs, 1 frees, 160 bytes allocated",
  ],
  "memcheck-use-after-free.msim": [
    "Invalid read of size 4",
    "   at main (line 8)",
    " Block was alloc'd at",
    "All heap blocks were freed -- no leaks are possible",
  ],
  "memcheck-double-free.msim": [
    "Invalid free() / delete / delete[] / realloc()",
    "   by cleanup (line 6)",
    "  total heap usage: 1 allocs, 2 frees, 40 bytes allocated",
  ],
  "memcheck-overflow.msim": ["Invalid write of size 1", "   at main (line 7)"],
};

describe("examples/memcheck-*.msim", () => {
  const files = readdirSync(DIR).filter((f) => /^memcheck-.*\.msim$/.test(f));
  it("has one example per verdict", () => {
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });
  for (const f of files) {
    it(f, () => {
      const out = run(f);
      for (const line of EXPECTED[f] ?? []) expect(out).toContain(line);
    });
  }
  it("addresses in the verdicts are the blocks' own", () => {
    const uaf = run("memcheck-use-after-free.msim");
    const p = /p = malloc\(40\) = (0x[0-9a-f]+)/.exec(uaf.join("\n"))![1]!;
    expect(uaf).toContain(
      ` Address 0x${(Number(p) + 8).toString(16)} is 8 bytes inside a block of size 40 free'd`,
    );
    const ovf = run("memcheck-overflow.msim");
    const s = /s = malloc\(40\) = (0x[0-9a-f]+)/.exec(ovf.join("\n"))![1]!;
    expect(ovf).toContain(
      ` Address 0x${(Number(s) + 40).toString(16)} is 0 bytes after a block of size 40 alloc'd`,
    );
  });
});

describe("a whole report, line for line", () => {
  it("memcheck-double-free.msim prints Valgrind's error and summary blocks", () => {
    const p = parseScenario(readFileSync(new URL("memcheck-double-free.msim", DIR), "utf8"));
    if (!p.ok) throw new Error(p.error.message);
    const out: string[] = [];
    new ScenarioRunner(p.value, {
      onOutput: (o) => {
        if (o.kind === "print") out.push(o.text);
      },
    }).run();
    expect(out.join("\n").replace(/0x[0-9a-f]+/g, "ADDR")).toBe(
      [
        "A: p = malloc(40) = ADDR",
        "==1== Invalid free() / delete / delete[] / realloc()",
        "==1==    at free",
        "==1==    by main (line 8)",
        "==1==  Address ADDR is 0 bytes inside a block of size 40 free'd",
        "==1==    at free",
        "==1==    by cleanup (line 6)",
        "==1==    by main (line 5)",
        "==1==  Block was alloc'd at",
        "==1==    at malloc",
        "==1==    by main (line 4)",
        "==1== ",
        "==1== ",
        "==1== HEAP SUMMARY:",
        "==1==     in use at exit: 0 bytes in 0 blocks",
        "==1==   total heap usage: 1 allocs, 2 frees, 40 bytes allocated",
        "==1== ",
        "==1== All heap blocks were freed -- no leaks are possible",
        "==1== ",
        "==1== ERROR SUMMARY: 1 errors from 1 contexts (suppressed: 0 from 0)",
      ].join("\n"),
    );
  });
});
