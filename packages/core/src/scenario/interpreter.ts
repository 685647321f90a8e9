/**
 * The `.msim` interpreter: runs parsed statements on a Machine, one statement per step.
 *
 * It keeps the scenario's view of the machine: process names to pids, each process's
 * symbol table (named addresses) and extension state. Output (events, prints, expect
 * results) goes to an `onOutput` callback as it happens. A failed `expect` is recorded and
 * the run goes on; a mistake only visible at run time (an unknown address base, a bad
 * configuration) stops the run with an `InputError` at its line and column.
 * `snapshot()`/`restore()` capture the machine and the interpreter together, so a run
 * can be rewound to any statement and replayed identically.
 */
import type { InputError, Pid } from "../base/index.js";
import { asPid, CallbackSink } from "../base/index.js";
import type { MachineConfig } from "../kernel/config.js";
import { createMachine, type Machine, type MachineEvent, type MachineSnapshot } from "../kernel/machine.js";
import { describeEvent } from "../kernel/narrate.js";
import type { MachineReport } from "../kernel/report.js";
import type { Scenario, ScenarioConfig, Stmt } from "./ast.js";
import { type ExpectFailure, evaluateExpect } from "./expect.js";
import { type ProcessExtension, SymbolTable, type VerbContext } from "./registry.js";
import type { AddrExpr } from "./values.js";
import { regionSymbol } from "./verbs.js";

/** One piece of output, tagged with the scenario line that produced it. */
export type ScenarioOutput =
  | { readonly kind: "event"; readonly line: number; readonly event: MachineEvent; readonly text: string }
  | { readonly kind: "print"; readonly line: number; readonly text: string }
  | { readonly kind: "expect"; readonly line: number; readonly ok: boolean; readonly text: string }
  | { readonly kind: "invariant"; readonly line: number; readonly problems: readonly string[] };

export interface RunOptions {
  /** Deliver machine events (off: no sink, the fast path). */
  readonly events?: boolean;
  /** Run the kernel invariant checker after every statement. */
  readonly check?: boolean;
  readonly onOutput?: (o: ScenarioOutput) => void;
}

/** Thrown inside a step to stop the run with an input error; caught by `step`. */
class RunStop {
  constructor(readonly error: InputError) {}
}

interface ProcEntry {
  readonly pid: Pid;
  readonly symbols: SymbolTable;
  readonly ext: Map<string, ProcessExtension>;
}

/** The interpreter state a snapshot must carry besides the machine. */
interface RunnerState {
  readonly pc: number;
  readonly names: [string, { pid: Pid; symbols: SymbolTable; ext: [string, ProcessExtension, unknown][] }][];
  readonly failures: ExpectFailure[];
  readonly error: InputError | null;
}

export interface RunnerSnapshot {
  readonly machine: MachineSnapshot | null;
  readonly state: RunnerState;
}

/** Maps a scenario `config` line to a machine configuration. */
export function toMachineConfig(c: ScenarioConfig): MachineConfig {
  const wm = { min: c.wmarkMin, low: c.wmarkLow, high: c.wmarkHigh };
  const out: Record<string, unknown> = {
    frames: c.frames,
    format: c.format,
    pageSize: c.pageSize,
    tlbEntries: c.tlbEntries,
    tlbWays: c.tlbWays,
    tlbPolicy: c.tlbPolicy,
    policy: c.policy,
    swapSlots: c.swapSlots,
    asid: c.asid,
    seed: c.seed,
    allocator: c.allocator,
    kswapd: c.kswapd,
    guardGap: c.guardGap,
    watermarks: Object.fromEntries(Object.entries(wm).filter(([, v]) => v !== undefined)),
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as MachineConfig;
}

export class ScenarioRunner {
  private machineOrNull: Machine | null = null;
  private pc = 0;
  private readonly procs = new Map<string, ProcEntry>();
  private readonly failures: ExpectFailure[] = [];
  private line = 0;
  /** Set when a run-time input error stopped the run. */
  error: InputError | null = null;

  constructor(
    readonly scenario: Scenario,
    readonly options: RunOptions = {},
  ) {}

  /** The machine (built by the first statement). */
  get machine(): Machine | null {
    return this.machineOrNull;
  }

  /** Index of the next statement. */
  get position(): number {
    return this.pc;
  }

  get done(): boolean {
    return this.error !== null || this.pc >= this.scenario.statements.length;
  }

  /** Failed expects so far. */
  get expectFailures(): readonly ExpectFailure[] {
    return this.failures;
  }

  /** Runs every remaining statement; stops early on an input error. */
  run(): this {
    while (!this.done) this.step();
    if (this.machineOrNull === null && this.error === null) this.ensureMachine(null, 0, 0);
    return this;
  }

  /** Runs the next statement. */
  step(): void {
    const stmt = this.scenario.statements[this.pc];
    if (stmt === undefined || this.error !== null) return;
    this.pc++;
    try {
      this.exec(stmt);
      if (this.options.check && this.machineOrNull !== null) {
        const problems = this.machineOrNull.check();
        if (problems.length > 0) this.out({ kind: "invariant", line: stmt.line, problems });
      }
    } catch (e) {
      if (e instanceof RunStop) this.error = e.error;
      else throw e;
    }
  }

  /** The report with processes keyed by their scenario names. */
  report(): MachineReport {
    return this.ensureMachine(null, 0, 0).report((pid) => this.nameOf(pid));
  }

  /** Scenario name of `pid`. */
  nameOf(pid: number): string {
    for (const [name, e] of this.procs) if (e.pid === pid) return name;
    return `pid${pid}`;
  }

  /** Pid of a scenario process name, if it exists yet. */
  pidOf(name: string): Pid | undefined {
    return this.procs.get(name)?.pid;
  }

  // -------------------------------------------------------------------- statements

  private out(o: ScenarioOutput): void {
    this.options.onOutput?.(o);
  }

  private stop(line: number, col: number, message: string): never {
    throw new RunStop({ line, col, message });
  }

  private ensureMachine(config: ScenarioConfig | null, line: number, col: number): Machine {
    if (this.machineOrNull !== null) return this.machineOrNull;
    const r = createMachine(toMachineConfig(config ?? {}));
    if (!r.ok) this.stop(line, col, r.problem);
    const m = r.machine;
    if (this.options.events)
      m.setSink(
        new CallbackSink<MachineEvent>((event) =>
          this.out({
            kind: "event",
            line: this.line,
            event,
            text: describeEvent(event, (pid) => this.nameOf(pid)),
          }),
        ),
      );
    this.machineOrNull = m;
    return m;
  }

  private exec(stmt: Stmt): void {
    this.line = stmt.line;
    if (stmt.kind === "config") {
      this.ensureMachine(stmt.config, stmt.line, stmt.col + 7);
      return;
    }
    const m = this.ensureMachine(null, stmt.line, stmt.col);
    switch (stmt.kind) {
      case "lib": {
        const r = m.defineLibrary(stmt.name, stmt.size);
        if (!r.ok) this.stop(stmt.line, stmt.col, r.error);
        return;
      }
      case "spawn": {
        const r = m.spawn(
          stmt.name,
          stmt,
          stmt.libs.map((l) => l.name),
        );
        if (!r.ok) this.stop(stmt.line, stmt.col, r.error);
        const symbols = segmentSymbols(m);
        for (const l of stmt.libs) symbols.define(l.name, regionSymbol(l.name));
        this.procs.set(stmt.name, { pid: asPid(r.value), symbols, ext: new Map() });
        return;
      }
      case "shm-create": {
        const r = m.shmCreate(stmt.name, stmt.size);
        if (!r.ok) this.stop(stmt.line, stmt.col, r.error);
        return;
      }
      case "shm-remove":
        m.shmRemove(stmt.name);
        return;
      case "repeat":
        for (let i = 0; i < stmt.count && this.error === null; i++) {
          this.exec(stmt.body);
          if (stmt.body.kind === "process" && !this.isRunning(m, stmt.body.process)) break;
        }
        return;
      case "expect":
        this.expect(stmt);
        return;
      case "show":
        this.show(m, stmt);
        return;
      case "check":
        this.out({ kind: "print", line: stmt.line, text: checkText(m.check()) });
        return;
      case "process":
        this.processCommand(m, stmt);
        return;
    }
  }

  private expect(stmt: Extract<Stmt, { kind: "expect" }>): void {
    const r = evaluateExpect(this.report(), stmt, [...this.procs.keys()]);
    if (r.kind === "unknown") this.stop(stmt.line, stmt.metricCol, r.message);
    if (r.kind === "fail") this.failures.push(r.failure);
    this.out({
      kind: "expect",
      line: stmt.line,
      ok: r.kind === "pass",
      text: r.kind === "pass" ? r.text : r.failure.message,
    });
  }

  private show(m: Machine, stmt: Extract<Stmt, { kind: "show" }>): void {
    const pid = stmt.process === null ? null : this.procs.get(stmt.process)?.pid;
    let text: string | null;
    if (stmt.view === "meminfo") text = m.meminfo();
    else if (stmt.view === "frames") text = frameMap(m);
    else if (pid === undefined || pid === null) text = null;
    else
      text =
        stmt.view === "maps"
          ? m.procMaps(pid)
          : stmt.view === "status"
            ? m.procStatus(pid)
            : m.procSmaps(pid);
    const title = stmt.process === null ? `/proc/${stmt.view}` : `/proc/${stmt.process}/${stmt.view}`;
    this.out({
      kind: "print",
      line: stmt.line,
      text: `${title}:\n${text ?? "(no such process yet)\n"}`.trimEnd(),
    });
  }

  private processCommand(m: Machine, stmt: Extract<Stmt, { kind: "process" }>): void {
    const entry = this.procs.get(stmt.process);
    const p = entry === undefined ? undefined : m.process(entry.pid);
    if (entry === undefined || p === undefined || !p.isRunning()) {
      const why =
        p === undefined
          ? "does not exist (its fork failed)"
          : `has ${p.state === "killed" ? `been killed (${p.signal})` : "exited"}`;
      this.out({ kind: "print", line: stmt.line, text: `${stmt.process} ${why}; "${stmt.verb}" skipped` });
      return;
    }
    stmt.action(this.context(m, stmt, entry));
  }

  private context(m: Machine, stmt: Extract<Stmt, { kind: "process" }>, entry: ProcEntry): VerbContext {
    const line = stmt.line;
    const ctx: VerbContext = {
      machine: m,
      pid: entry.pid,
      process: stmt.process,
      symbols: entry.symbols,
      resolve: (a: AddrExpr) => this.resolve(m, entry, a, line),
      fail: (col, message) => this.stop(line, col, message),
      print: (text) => this.out({ kind: "print", line, text }),
      adoptChild: (name, pid) => {
        const ext = new Map<string, ProcessExtension>();
        for (const [k, e] of entry.ext) {
          const c = e.fork?.(pid) ?? null;
          if (c !== null) ext.set(k, c);
        }
        this.procs.set(name, { pid, symbols: entry.symbols.clone(), ext });
      },
      observeAccess: (access, va, len) => {
        for (const e of entry.ext.values()) e.onAccess?.(access, va, len, ctx);
      },
      extension: <T extends ProcessExtension>(key: string, create: () => T): T => {
        let e = entry.ext.get(key);
        if (e === undefined) {
          e = create();
          entry.ext.set(key, e);
        }
        return e as T;
      },
    };
    return ctx;
  }

  private resolve(m: Machine, entry: ProcEntry, a: AddrExpr, line: number): number {
    if (a.base === null) return a.offset;
    const r = entry.symbols.get(a.base);
    if (r === undefined)
      this.stop(
        line,
        a.col,
        `unknown address base "${a.base}" (known here: ${entry.symbols.names().join(", ")})`,
      );
    const v = r(m, entry.pid);
    if (v === null) this.stop(line, a.col, `"${a.base}" is not mapped in this process any more`);
    return v + a.offset;
  }

  private isRunning(m: Machine, name: string): boolean {
    const e = this.procs.get(name);
    return e !== undefined && m.process(e.pid)?.isRunning() === true;
  }

  // -------------------------------------------------------------------- time travel

  /** The machine and interpreter state now. */
  snapshot(): RunnerSnapshot {
    const names: RunnerState["names"] = [];
    for (const [n, e] of this.procs)
      names.push([
        n,
        { pid: e.pid, symbols: e.symbols.clone(), ext: [...e.ext].map(([k, x]) => [k, x, x.snapshot?.()]) },
      ]);
    return {
      machine: this.machineOrNull?.snapshot() ?? null,
      state: { pc: this.pc, names, failures: [...this.failures], error: this.error },
    };
  }

  /** Rewinds to `snap` (taken from this runner). */
  restore(snap: RunnerSnapshot): void {
    // Before the first statement there was no machine yet: the replay builds it again.
    if (snap.machine === null) this.machineOrNull = null;
    else this.machineOrNull?.restore(snap.machine);
    this.pc = snap.state.pc;
    this.error = snap.state.error;
    this.procs.clear();
    for (const [n, e] of snap.state.names) {
      const ext = new Map<string, ProcessExtension>();
      for (const [k, x, s] of e.ext) {
        if (s !== undefined) x.restore?.(s);
        ext.set(k, x);
      }
      this.procs.set(n, { pid: e.pid, symbols: e.symbols.clone(), ext });
    }
    this.failures.length = 0;
    this.failures.push(...snap.state.failures);
  }
}

/** The built-in address bases of every process: its segments and the kernel boundary. */
function segmentSymbols(m: Machine): SymbolTable {
  const t = new SymbolTable();
  const layout = (mm: Machine, pid: number) => mm.process(pid)?.layout ?? null;
  t.define("text", (mm, pid) => layout(mm, pid)?.textStart ?? null);
  t.define("data", (mm, pid) => layout(mm, pid)?.dataStart ?? null);
  t.define("bss", (mm, pid) => layout(mm, pid)?.bssStart ?? null);
  t.define("heap", (mm, pid) => layout(mm, pid)?.heapStart ?? null);
  t.define("stack", (mm, pid) => layout(mm, pid)?.stackTop ?? null);
  const f = m.config.format;
  t.define("kernel", (mm, pid) => (f.canonical ? f.vaMin : (layout(mm, pid)?.userTop ?? null)));
  return t;
}

function checkText(problems: readonly string[]): string {
  return problems.length === 0
    ? "check: every kernel invariant holds"
    : `check: ${problems.length} invariant(s) broken:\n  ${problems.join("\n  ")}`;
}

/** A compact frame map: one character per frame (`.` free, `P` page table, `a` anon, `h` heap, `f` file, `s` shared). */
export function frameMap(m: Machine): string {
  const ft = m.hw.mem.frameTable;
  const chars = ".Pafs?c h";
  let s = "";
  for (let i = 0; i < ft.count; i++) {
    s += chars[ft.use[i] as number] ?? "?";
    if (i % 64 === 63) s += "\n";
  }
  return `${s.trimEnd()}\n(. free  P page table  a anon  h heap  f file  s shared)`;
}
