import {
  describeEvent,
  type MachineEvent,
  parseScenario,
  type RunnerSnapshot,
  type Scenario,
  type ScenarioOutput,
  ScenarioRunner,
  type Stmt,
} from "@memsim/core";

/**
 * A scenario run the lab can move through event by event.
 *
 * The first pass runs every statement and records every event the engine emits (with
 * the source line), and where each statement's events start. Step n is the machine after
 * the first n events. The interpreter can only be snapshotted between statements, so the
 * session keeps a snapshot before the statement of every K-th event (K = 64, or the run's
 * length over the number of snapshots the memory budget allows) and reaches step n by
 * restoring the nearest snapshot and re-running statements; a step inside a statement is
 * reached by re-running that statement and stopping it the moment the engine reports the
 * n-th event, so the state shown is the engine's own state at that instant.
 *
 * `repeat N CMD` is unrolled into N statements first, so each repetition is a place the
 * run can be snapshotted (the events are the same as the interpreter's own loop).
 */

/** One recorded event and the scenario line that caused it. */
export interface RecordedEvent {
  readonly event: MachineEvent;
  readonly line: number;
}

/** A line the scenario printed (show, expect, memcheck), after `at` events. */
export interface PrintedLine {
  readonly at: number;
  readonly line: number;
  readonly text: string;
}

/** Why a scenario could not be loaded, with its place. */
export interface ScenarioProblem {
  readonly message: string;
  readonly line: number;
  readonly col: number;
}

/** Limits of a session. */
export interface SessionOptions {
  /** Stop recording after this many events (the run is cut there). Default 2,000,000. */
  readonly maxEvents?: number;
  /** Snapshot memory budget in bytes. Default 256 MiB. */
  readonly snapshotBudget?: number;
  /** Unrolled statements allowed. Default 2,000,000. */
  readonly maxStatements?: number;
}

/**
 * Checkpoints the first pass takes (every 64 events) before deciding the run is long and
 * leaving the checkpoints to a second pass at the interval its length calls for.
 */
const FIRST_PASS_CHECKPOINTS = 64;

/** Stops a statement mid-way once the wanted event has been emitted. */
class Arrived {}

interface Checkpoint {
  /** Statements done when taken. */
  readonly stmt: number;
  readonly snap: RunnerSnapshot;
}

export class ScenarioSession {
  /** Every event of the run, in order. */
  readonly events: RecordedEvent[] = [];
  /** What the run printed, in order. */
  readonly prints: PrintedLine[] = [];
  /** stmtStart[i]: index of the first event of statement i; stmtStart[n] = events.length. */
  private readonly stmtStart: number[] = [];
  private checkpoints: Checkpoint[] = [];
  private interval = 64;
  private readonly maxCheckpoints: number;
  private runner: ScenarioRunner;
  /** Statements the live runner has completed, or -1 when it was stopped mid-statement. */
  private cleanAt = 0;
  private recording = true;
  private countdown = -1;
  /** True when the run was cut at `maxEvents`. */
  truncated = false;
  /** The statement cut short at `maxEvents`, or -1. */
  private cutStmt = -1;
  /** Statements the first pass ran (all, unless an error or the cut stopped it). */
  private executed = 0;
  /** A run-time input error that stopped the first pass (the run ends there). */
  runError: ScenarioProblem | null = null;
  /** Pid → scenario process name. */
  readonly names = new Map<number, string>();
  /** The step the live runner shows (after `seek`). */
  position = 0;

  private constructor(
    private readonly scenario: Scenario,
    private readonly options: SessionOptions,
  ) {
    this.runner = this.freshRunner();
    this.maxCheckpoints = 768;
  }

  /** Parses and runs `source`, or returns the first mistake with its place. */
  static load(source: string, options: SessionOptions = {}): ScenarioSession | ScenarioProblem {
    const parsed = parseScenario(source);
    if (!parsed.ok) return parsed.error;
    const unrolled = unrollRepeats(parsed.value.statements, options.maxStatements ?? 2_000_000);
    if (typeof unrolled === "string") return { message: unrolled, line: 1, col: 1 };
    const session = new ScenarioSession({ statements: unrolled }, options);
    session.firstPass();
    return session;
  }

  /** Steps in the run (events recorded). */
  get length(): number {
    return this.events.length;
  }

  /** The live runner (its machine is in the state of step `position`). */
  get live(): ScenarioRunner {
    return this.runner;
  }

  /**
   * The engine's sentence for event `i` (core's `describeEvent`, as `memsim run --events`
   * prints it), made when asked rather than kept for every event.
   */
  text(i: number): string {
    return describeEvent(this.events[i]!.event, (pid) => this.names.get(pid) ?? `pid${pid}`);
  }

  /** Statement index whose execution emitted event `i`. */
  statementOf(i: number): number {
    let lo = 0;
    let hi = this.stmtStart.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.stmtStart[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Puts the live machine at step `step` (clamped to 0..length) and returns the step. */
  seek(step: number): number {
    const n = Math.max(0, Math.min(this.length, Math.floor(step)));
    // State after n events = after statements 0..s-1 plus the first k events of statement s.
    const s = n === 0 ? 0 : this.statementOf(n - 1);
    let boundary = this.stmtStart[s + 1] === n ? s + 1 : s;
    if (boundary === this.cutStmt + 1 && this.cutStmt >= 0) boundary = this.cutStmt;
    const k = n - this.stmtStart[boundary]!;
    this.runTo(boundary);
    if (k > 0) this.runPartial(boundary, k);
    this.position = n;
    return n;
  }

  /**
   * Says the live machine was disturbed by an inspection with side effects (reading the
   * heap through the MMU); the next `seek` restores it from a checkpoint.
   */
  markDirty(): void {
    this.cleanAt = -1;
  }

  /** The statements the session runs (repeats unrolled). */
  get statements(): readonly Stmt[] {
    return this.scenario.statements;
  }

  /** The checkpoint interval in events now, and how many checkpoints are held. */
  get checkpointStats(): { interval: number; count: number } {
    return { interval: this.interval, count: this.checkpoints.length };
  }

  private freshRunner(): ScenarioRunner {
    return new ScenarioRunner(this.scenario, { events: true, onOutput: (o) => this.onOutput(o) });
  }

  private onOutput(o: ScenarioOutput): void {
    if (o.kind === "print" || o.kind === "expect") {
      if (this.recording) this.prints.push({ at: this.events.length, line: o.line, text: o.text });
      return;
    }
    if (o.kind !== "event") return;
    if (this.recording) {
      this.events.push({ event: o.event, line: o.line });
      noteNames(o.event, this.names);
      if (this.events.length >= (this.options.maxEvents ?? 2_000_000)) {
        this.truncated = true;
        throw new Arrived();
      }
    } else if (this.countdown > 0 && --this.countdown === 0) throw new Arrived();
  }

  /**
   * Runs every statement once, recording events, with a checkpoint every `interval`
   * events. A run too long for the checkpoint store at that interval is run a second
   * time, not recorded, with the interval its now known length calls for: cheaper than
   * thinning as it grows, since each snapshot copies the whole machine.
   */
  private firstPass(): void {
    const statements = this.scenario.statements.length;
    const budget = this.options.snapshotBudget ?? 256 * 1024 * 1024;
    let since = Number.POSITIVE_INFINITY;
    let overflow = false;
    this.executed = statements;
    for (let i = 0; i < statements; i++) {
      this.stmtStart.push(this.events.length);
      if (!overflow && since >= this.interval && this.runner.machine !== null) {
        if (this.checkpoints.length >= Math.min(FIRST_PASS_CHECKPOINTS, this.maxCheckpointsFor(budget)))
          overflow = true;
        else this.checkpoints.push({ stmt: i, snap: this.runner.snapshot() });
        since = 0;
      }
      const before = this.events.length;
      if (this.stepUntilArrived()) {
        this.cutStmt = i;
        this.executed = i + 1;
        break;
      }
      since += this.events.length - before;
      if (this.runner.error) {
        this.runError = this.runner.error;
        this.executed = i + 1;
        break;
      }
    }
    this.stmtStart.push(this.events.length);
    // Statements after a cut or an error never ran: they have no events.
    while (this.stmtStart.length < statements + 1) this.stmtStart.push(this.events.length);
    this.recording = false;
    this.cleanAt = this.runner.error || this.truncated ? -1 : statements;
    if (overflow) this.checkpointPass(budget);
  }

  /** Most checkpoints the memory budget allows for this machine (at least 8). */
  private maxCheckpointsFor(budget: number): number {
    return Math.max(8, Math.min(this.maxCheckpoints, Math.floor(budget / snapshotBytes(this.runner))));
  }

  /** Re-runs the scenario unrecorded, keeping a checkpoint every `interval` events. */
  private checkpointPass(budget: number): void {
    const keep = this.maxCheckpointsFor(budget);
    this.interval = Math.ceil(this.length / Math.max(1, keep - 2));
    this.checkpoints = [];
    this.runner = this.freshRunner();
    let last = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.executed; i++) {
      if (this.stmtStart[i]! - last >= this.interval && this.runner.machine !== null) {
        this.checkpoints.push({ stmt: i, snap: this.runner.snapshot() });
        last = this.stmtStart[i]!;
      }
      this.stepUntilArrived();
    }
    this.cleanAt = -1;
  }

  /**
   * Runs the runner's next statement; true when it was cut short (the recording reached its
   * event limit, or the countdown of `runPartial` ran out), false when it ran to its end.
   */
  private stepUntilArrived(): boolean {
    try {
      this.runner.step();
      return false;
    } catch (e) {
      if (!(e instanceof Arrived)) throw e;
      return true;
    }
  }

  /** Brings the live runner to "statements 0..target-1 done", replaying as little as it can. */
  private runTo(target: number): void {
    const best = this.latestCheckpoint(target);
    const fromLive =
      this.cleanAt >= 0 && this.cleanAt <= target && (best === null || this.cleanAt >= best.stmt);
    if (!fromLive) {
      if (best === null) {
        this.runner = this.freshRunner();
        this.cleanAt = 0;
      } else {
        this.runner.restore(best.snap);
        this.cleanAt = best.stmt;
      }
    }
    while (this.cleanAt < target) {
      this.runner.step();
      this.cleanAt++;
    }
  }

  /** Runs statement `stmt` until it has emitted `k` events, leaving the runner mid-statement. */
  private runPartial(stmt: number, k: number): void {
    this.countdown = k;
    try {
      this.stepUntilArrived();
    } finally {
      this.countdown = -1;
    }
    this.cleanAt = this.stmtStart[stmt + 1]! - this.stmtStart[stmt]! === k ? stmt + 1 : -1;
  }

  private latestCheckpoint(stmt: number): Checkpoint | null {
    let found: Checkpoint | null = null;
    for (const c of this.checkpoints) {
      if (c.stmt > stmt) break;
      found = c;
    }
    return found;
  }
}

/** Replaces each `repeat N CMD` by N copies of CMD; a message when that grows too large. */
export function unrollRepeats(statements: readonly Stmt[], max: number): Stmt[] | string {
  const out: Stmt[] = [];
  for (const s of statements) {
    if (s.kind !== "repeat") {
      out.push(s);
    } else {
      const body = unrollRepeats([s.body], max);
      if (typeof body === "string") return body;
      for (let i = 0; i < s.count && out.length <= max; i++) out.push(...body);
    }
    if (out.length > max)
      return `line ${s.line}: the lab steps through at most ${max} commands; this scenario unrolls to more`;
  }
  return out;
}

function noteNames(e: MachineEvent, names: Map<number, string>): void {
  if (e.kind === "spawn") names.set(e.pid, e.name);
  else if (e.kind === "fork") names.set(e.child, e.name);
}

/** Rough size of one snapshot: physical memory and swap bytes dominate. */
function snapshotBytes(runner: ScenarioRunner): number {
  const m = runner.machine;
  if (!m) return 1;
  const frames = m.hw.mem.frameCount * m.pageSize;
  const swap = m.kernel.s.swap.slots * m.pageSize;
  return frames + swap + 64 * 1024;
}
