import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ScenarioOutput, ScenarioRunner } from "./interpreter.js";
import { parseScenario } from "./parser.js";

/** One random step, decoded against the processes that exist when it is written. */
type Op = { readonly kind: number; readonly who: number; readonly a: number; readonly b: number };

const op = fc.record({
  kind: fc.integer({ min: 0, max: 16 }),
  who: fc.nat(20),
  a: fc.nat(1000),
  b: fc.nat(1000),
});

const SEGMENTS = ["text", "data", "bss", "heap", "stack"];

/** Builds a scenario: a small machine (so swapping and OOM happen), 2-3 processes, random steps. */
function build(frames: number, swap: number, policy: string, ops: readonly Op[]): string {
  const lines = [
    `config frames=${frames} swap=${swap} policy=${policy} tlb=8 tlb_ways=2 seed=3`,
    "lib libc size=16k",
    "shm create seg 8k",
    "spawn P0 text=8k data=8k bss=8k stack=32k lib=libc",
    "spawn P1 text=8k data=4k bss=4k stack=16k",
  ];
  const names = ["P0", "P1"];
  // Regions each process has mapped (so steps name regions that exist, mostly).
  const regions = new Map<string, Set<string>>(names.map((n) => [n, new Set<string>()]));
  let forks = 0;
  for (const o of ops) {
    const p = names[o.who % names.length] as string;
    const mine = regions.get(p) as Set<string>;
    const r = `m${o.a % 4}`;
    const seg = SEGMENTS[o.a % SEGMENTS.length] as string;
    const off = (o.b % 8) * 1024;
    switch (o.kind) {
      case 0:
      case 1:
        lines.push(
          `${p} write ${seg === "stack" ? `stack-${off + 8}` : `${seg}+${off}`} ${1 + (o.b % 6000)}`,
        );
        break;
      case 2:
        lines.push(`${p} read ${seg === "stack" ? `stack-${off + 8}` : `${seg}+${off}`} ${1 + (o.b % 3000)}`);
        break;
      case 3:
        lines.push(`${p} brk ${o.b % 3 === 0 ? "-" : "+"}${(o.a % 6) * 4}k`);
        break;
      case 4:
        if (mine.has(r)) break;
        lines.push(
          `${p} mmap ${r} ${4 + (o.b % 4) * 4}k ${o.b % 2 ? "rw" : "r"} ${o.a % 3 === 0 ? "shared" : "private"}`,
        );
        mine.add(r);
        break;
      case 5:
        if (mine.has(r)) lines.push(`${p} write ${r}+0 ${1 + (o.b % 5000)}`);
        break;
      case 6:
        if (mine.has(r)) lines.push(`${p} munmap ${r}`);
        mine.delete(r);
        break;
      case 7:
        if (mine.has(r)) lines.push(`${p} mprotect ${r} ${o.b % 2 ? "rw" : "r"}`);
        break;
      case 8:
        if (names.length < 6) {
          const child = `F${forks++}`;
          lines.push(`${p} fork ${child}`);
          names.push(child);
          regions.set(child, new Set(mine));
        }
        break;
      case 9:
        lines.push(`${p} exit`);
        break;
      case 10:
        if (mine.has("seg")) break;
        lines.push(`${p} shm attach seg ${o.b % 2 ? "rw" : "r"}`);
        mine.add("seg");
        break;
      case 11:
        if (mine.has("seg")) lines.push(`${p} write seg+${off % 8192} 16`);
        break;
      case 12:
        if (mine.has("seg")) lines.push(`${p} shm detach seg`);
        mine.delete("seg");
        break;
      case 13:
        lines.push(`${p} exec ${o.b % 2 ? "libc" : "text"}+${off % 8192} 64`);
        break;
      case 14:
        lines.push(`${p} read ${o.a * 977} 4`);
        break;
      case 16:
        lines.push(`${p} mprotect heap+${(o.a % 3) * 4}k 4k ${o.b % 2 ? "rw" : "r"}`);
        break;
      default:
        lines.push(`repeat ${2 + (o.b % 4)} ${p} read heap+0 ${1 + (o.a % 8000)}`);
    }
  }
  return lines.join("\n");
}

const config = fc.record({
  frames: fc.integer({ min: 12, max: 40 }),
  swap: fc.integer({ min: 0, max: 24 }),
  policy: fc.constantFrom("fifo", "lru", "clock"),
  ops: fc.array(op, { minLength: 1, maxLength: 40 }),
});

/** Runs a scenario text; returns the runner and its outputs. Region mistakes are input errors. */
function runText(text: string, events = false) {
  const parsed = parseScenario(text);
  if (!parsed.ok)
    throw new Error(`${parsed.error.line}:${parsed.error.col} ${parsed.error.message}\n${text}`);
  const outputs: ScenarioOutput[] = [];
  const runner = new ScenarioRunner(parsed.value, { check: true, events, onOutput: (o) => outputs.push(o) });
  return { runner, outputs, statements: parsed.value.statements.length };
}

describe("random scenarios", () => {
  it("keep every kernel invariant after every command, and free everything at the end", () => {
    let stopped = 0;
    fc.assert(
      fc.property(config, ({ frames, swap, policy, ops }) => {
        const { runner, outputs } = runText(build(frames, swap, policy, ops));
        runner.run();
        stopped += runner.error === null ? 0 : 1;
        const broken = outputs.filter((o) => o.kind === "invariant");
        expect(broken).toEqual([]);
        const m = runner.machine;
        if (m === null) throw new Error("no machine");
        // An unknown region (munmap of a name never mapped) stops the run as an input error: fine.
        for (const p of m.processes()) if (p.isRunning()) m.exit(p.pid);
        m.shmRemove("seg");
        expect(m.check()).toEqual([]);
        expect(m.report().memory.free_frames).toBe(frames);
        expect(m.report().memory.swap_free).toBe(swap);
      }),
      { numRuns: 80 },
    );
    // Most runs go to the end (a run stops early only on a region whose mmap failed).
    expect(stopped).toBeLessThan(40);
  });

  it("replay identically after restoring a snapshot taken mid-run", () => {
    fc.assert(
      fc.property(config, fc.nat(), ({ frames, swap, policy, ops }, cut) => {
        const { runner, outputs, statements } = runText(build(frames, swap, policy, ops), true);
        const k = cut % (statements + 1);
        while (runner.position < k && !runner.done) runner.step();
        const snap = runner.snapshot();
        const mark = outputs.length;
        runner.run();
        const first = outputs.slice(mark);
        const report = JSON.stringify(runner.report());
        const error = runner.error;
        runner.restore(snap);
        outputs.length = mark;
        runner.run();
        expect(outputs.slice(mark)).toEqual(first);
        expect(JSON.stringify(runner.report())).toBe(report);
        expect(runner.error).toEqual(error);
      }),
      { numRuns: 40 },
    );
  });
});

describe("arbitrary input", () => {
  const WORDS = [
    "config",
    "spawn",
    "A",
    "B",
    "read",
    "write",
    "exec",
    "brk",
    "mmap",
    "munmap",
    "mprotect",
    "fork",
    "shm",
    "attach",
    "detach",
    "create",
    "remove",
    "exit",
    "repeat",
    "expect",
    "show",
    "maps",
    "check",
    "lib",
    "heap+0",
    "stack-8",
    "buf",
    "4k",
    "+8k",
    "-4k",
    "rw",
    "r",
    "none",
    "private",
    "shared",
    "at=0x7000000000",
    "frames=16",
    "swap=0",
    "==",
    "3",
    "A.rss",
    "#",
    "x=",
    "=",
    "0x",
    "99999999999999999999",
    "text=4k",
    "lib=libc",
    "value=7",
    "kernel+0",
    "1",
  ];
  const line = fc.array(fc.constantFrom(...WORDS), { maxLength: 7 }).map((ws) => ws.join(" "));
  it("is parsed or refused with a position, and runs without throwing", () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const r = parseScenario(lines.join("\n"));
        if (!r.ok) {
          expect(r.error.line).toBeGreaterThanOrEqual(1);
          expect(r.error.message.length).toBeGreaterThan(0);
          return;
        }
        const runner = new ScenarioRunner(r.value, { check: true }).run();
        if (runner.machine !== null) expect(runner.machine.check()).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
