import { type Machine, parseScenario, ScenarioRunner } from "@memsim/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_SCENARIO } from "../views/default-scenario.js";
import { ScenarioSession, unrollRepeats } from "./scenario-session.js";

/** Everything visible about a machine, as one string. */
function observe(m: Machine | null): string {
  if (!m) return "no machine";
  const ft = m.hw.mem.frameTable;
  let sum = 0;
  for (const b of m.hw.mem.u8) sum = (Math.imul(sum, 31) + b) | 0;
  const procs = m.processes().map((p) => `${p.pid}:${p.state}:${m.procMaps(p.pid)}`);
  return JSON.stringify([
    [...ft.use],
    [...ft.owner],
    [...ft.mapCount],
    [...m.hw.tlb.flags],
    [...m.hw.tlb.vpn],
    m.meminfo(),
    procs,
    sum,
  ]);
}

/** The session's machine after seeking step `n`. */
function machineAt(s: ScenarioSession, n: number): Machine | null {
  s.seek(n);
  return s.live.machine;
}

class Stop {}

/** The machine after exactly `n` events, by a fresh interpreter run stopped there. */
function reference(source: string, n: number): string {
  const parsed = parseScenario(source);
  if (!parsed.ok) throw new Error(parsed.error.message);
  let seen = 0;
  const runner = new ScenarioRunner(parsed.value, {
    events: true,
    onOutput: (o) => {
      if (o.kind === "event" && ++seen === n) throw new Stop();
    },
  });
  if (n > 0) {
    try {
      runner.run();
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
    }
  }
  return observe(runner.machine);
}

const THRASH = `config frames=24 page_size=4k format=x86-32 tlb=4 policy=fifo swap=64 seed=3
spawn A text=8k data=4k bss=4k stack=16k
A brk +128k
repeat 3 A write heap+0 128k
A fork B
repeat 2 B read heap+0 128k
B write heap+0 8k
`;

describe("scenario session", () => {
  it("records the default scenario: demand paging, faults, a COW copy and a SIGSEGV", () => {
    const s = ScenarioSession.load(DEFAULT_SCENARIO);
    if (!(s instanceof ScenarioSession)) throw new Error(s.message);
    const kinds = new Set(s.events.map((e) => e.event.kind));
    for (const k of [
      "spawn",
      "page-fault",
      "zero-fill",
      "file-read",
      "fork",
      "cow-copy",
      "segv",
      "walk",
      "tlb-hit",
    ])
      expect(kinds).toContain(k);
    expect(s.runError).toBeNull();
  });

  it("shows at every step the state a fresh run stopped at that event has", () => {
    const s = ScenarioSession.load(DEFAULT_SCENARIO) as ScenarioSession;
    for (const n of [1, 7, 8, 23, 49, 50, 58, 59, 89, s.length, 58, 3, s.length - 1, 0, 2])
      if (n > 0) expect(observe(machineAt(s, n)), `step ${n}`).toBe(reference(DEFAULT_SCENARIO, n));
      else expect(machineAt(s, 0)?.processes()).toEqual([]);
  });

  it("seeks any step of a long run with evictions and swap, in any order", () => {
    const s = ScenarioSession.load(THRASH) as ScenarioSession;
    expect(s.events.some((e) => e.event.kind === "swap-out")).toBe(true);
    expect(s.checkpointStats.count).toBeGreaterThan(1);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: s.length }), { minLength: 1, maxLength: 6 }),
        (steps) => {
          for (const n of steps) expect(observe(machineAt(s, n))).toBe(reference(THRASH, n));
        },
      ),
      { numRuns: 8 },
    );
  });

  it("keeps seeking exact when a long run is checkpointed in a second pass", () => {
    const long = `${THRASH}repeat 30 B read heap+0 32k\n`;
    const s = ScenarioSession.load(long, { snapshotBudget: 1 }) as ScenarioSession;
    expect(s.length).toBeGreaterThan(8 * 64);
    expect(s.checkpointStats.count).toBeLessThanOrEqual(8);
    expect(s.checkpointStats.interval).toBeGreaterThan(64);
    for (const n of [s.length, 1, Math.floor(s.length / 2), 77, s.length - 3])
      expect(observe(machineAt(s, n)), `step ${n}`).toBe(reference(long, n));
  });

  it("cuts a run at the event limit and still shows its last step exactly", () => {
    const s = ScenarioSession.load(THRASH, { maxEvents: 300 }) as ScenarioSession;
    expect(s.truncated).toBe(true);
    expect(s.length).toBe(300);
    for (const n of [300, 299, 150]) expect(observe(machineAt(s, n))).toBe(reference(THRASH, n));
  });

  it("reports a mistake with its line and column", () => {
    const s = ScenarioSession.load("config frames=8\nspawn A text=4k\nA frobnicate 3\n");
    expect(s).toMatchObject({ line: 3 });
    expect(s).not.toBeInstanceOf(ScenarioSession);
  });

  it("unrolls repeat into copies of its command", () => {
    const parsed = parseScenario("spawn A text=4k\nrepeat 3 A read text+0 1\n");
    if (!parsed.ok) throw new Error(parsed.error.message);
    const out = unrollRepeats(parsed.value.statements, 100);
    expect(Array.isArray(out) && out.map((st) => st.kind)).toEqual([
      "spawn",
      "process",
      "process",
      "process",
    ]);
    expect(unrollRepeats(parsed.value.statements, 2)).toMatch(/at most 2 commands/);
  });
});
