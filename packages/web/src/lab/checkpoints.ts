/**
 * Time travel over a deterministic run: a checkpoint (the machine's own snapshot) every K
 * steps, and a seek that restores the nearest checkpoint at or before the target and
 * replays forward. Replaying never decides anything anew: the machine is deterministic,
 * so step n after a restore is the very step n of the first pass.
 *
 * Memory stays bounded: when the store holds `maxCheckpoints`, every other checkpoint is
 * dropped and K doubles, so a run of any length keeps between max/2 and max checkpoints
 * and a seek replays fewer than K = 2 * length / max steps.
 */

/** A machine that can run one step at a time and save/restore its whole state. */
export interface Rewindable<S> {
  /** Executes the next step; false when the run had already ended (nothing happened). */
  step(): boolean;
  /** The whole state, detached from the live machine (later steps must not change it). */
  snapshot(): S;
  /** Puts the machine back into a state returned by `snapshot()`. */
  restore(state: S): void;
}

/** Tuning for a `Timeline`. */
export interface TimelineOptions {
  /** Steps between checkpoints at the start (doubles as the run grows). Default 64. */
  readonly interval?: number;
  /** Most checkpoints kept at once (at least 2). Default 512. */
  readonly maxCheckpoints?: number;
}

/**
 * A position in a run of a `Rewindable` machine that can move to any step.
 * Step 0 is the state before the first step; step n is the state after n steps.
 */
export class Timeline<S> {
  private interval: number;
  private readonly maxCheckpoints: number;
  /** checkpoints[i] is the state at step i * interval. */
  private checkpoints: S[] = [];
  private here = 0;
  private furthest = 0;
  private ended = false;

  constructor(
    private readonly machine: Rewindable<S>,
    options: TimelineOptions = {},
  ) {
    this.interval = Math.max(1, Math.floor(options.interval ?? 64));
    this.maxCheckpoints = Math.max(2, Math.floor(options.maxCheckpoints ?? 512));
    this.checkpoints.push(machine.snapshot());
  }

  /** The current step. */
  get position(): number {
    return this.here;
  }

  /** The number of steps the run has, once `ended`; before that, the furthest step seen. */
  get length(): number {
    return this.furthest;
  }

  /** True once a step past the last one has been attempted. */
  get complete(): boolean {
    return this.ended;
  }

  /** Steps between checkpoints now (grows as the run grows). */
  get checkpointInterval(): number {
    return this.interval;
  }

  /** How many checkpoints are held. */
  get checkpointCount(): number {
    return this.checkpoints.length;
  }

  /** Runs one step forward; false (and no move) at the end of the run. */
  forward(): boolean {
    if (this.ended && this.here >= this.furthest) return false;
    if (!this.machine.step()) {
      this.ended = true;
      return false;
    }
    this.here++;
    if (this.here > this.furthest) this.discover();
    return true;
  }

  /** Runs until the end or until `limit` steps from the start, recording checkpoints. */
  runToEnd(limit = Number.POSITIVE_INFINITY, onProgress?: (step: number) => void): number {
    while (this.here < limit && this.forward()) {
      if (onProgress && (this.here & 0xffff) === 0) onProgress(this.here);
    }
    return this.furthest;
  }

  /**
   * Moves to step `target` (clamped to 0..length when the run is complete): restores the
   * nearest checkpoint at or before it, unless the current step is nearer, and replays.
   * Returns the step reached (less than `target` only when the run ends before it).
   */
  seek(target: number): number {
    let goal = Math.max(0, Math.floor(target));
    if (this.ended) goal = Math.min(goal, this.furthest);
    const slot = Math.min(Math.floor(goal / this.interval), this.checkpoints.length - 1);
    const base = slot * this.interval;
    if (goal < this.here || base > this.here) {
      this.machine.restore(this.checkpoints[slot]!);
      this.here = base;
    }
    while (this.here < goal && this.forward()) {
      /* replay */
    }
    return this.here;
  }

  /** Called when a step beyond every earlier one has been made. */
  private discover(): void {
    this.furthest = this.here;
    if (this.here % this.interval !== 0) return;
    if (this.here / this.interval !== this.checkpoints.length) return;
    if (this.checkpoints.length >= this.maxCheckpoints) this.thin();
    if (this.here % this.interval === 0) this.checkpoints.push(this.machine.snapshot());
  }

  /** Keeps every other checkpoint and doubles the interval. */
  private thin(): void {
    this.checkpoints = this.checkpoints.filter((_, i) => i % 2 === 0);
    this.interval *= 2;
  }
}
