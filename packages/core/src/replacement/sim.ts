/**
 * The replacement engine: a fixed number of frame slots, a page → slot map in typed
 * arrays, and one loop that owns find → hit / miss → choose victim → evict → insert
 * (libCacheSim's split: the policy only chooses). Counts hits, misses and dirty
 * write-backs; allocates nothing per reference.
 */
import { invariant } from "../base/errors.js";
import { isExpiring, isFutureAware, type ReplacementPolicy, sharesIndex } from "./policy.js";
import { NARROW_SLOTS, SlotIndex } from "./slot-index.js";

/** References whose index entries are brought into the cache together, ahead of use. */
const WARM_BLOCK = 64;

/** What a run counted. `writebacks` are evictions (or expiries) of dirty pages. */
export interface ReplacementStats {
  readonly accesses: number;
  readonly hits: number;
  readonly misses: number;
  readonly writebacks: number;
}

/** How an engine runs (speed only: no option changes a result). */
export interface ReplacementSimOptions {
  /**
   * Bring each block's index entries into the cache ahead of use (default: the policy's
   * `warmIndex`). Worth it even for a policy with a short miss path when several engines
   * share a thread: their index tables together outgrow the caches and the TLB.
   */
  readonly warmIndex?: boolean;
  /**
   * Let the index take 16-bit entries when it can: the policy keeps no codes in it and
   * has fewer than 2^15 frames (default true). Engines of both kinds in one process make
   * the index's loads polymorphic, which cost a policy up to 1.25x: callers that run many
   * engines side by side pass false when their sizes or policies would mix the kinds.
   */
  readonly narrowIndex?: boolean;
}

/** Whether an engine for `policy` would take a 16-bit index (see `ReplacementSimOptions.narrowIndex`). */
export function narrowIndexFits(policy: ReplacementPolicy): boolean {
  return !sharesIndex(policy) && policy.capacity < NARROW_SLOTS;
}

/** A reference batch: `count` page keys, optional store flags (1 = write) and next uses. */
export interface RefBatch {
  readonly keys: Float64Array;
  readonly count: number;
  readonly writes?: Uint8Array | undefined;
}

/**
 * Simulates one policy over a reference stream. Construct with a policy from
 * `createPolicy`; feed references with `access` (one) or `run` (a batch, faster).
 * FutureAware policies (OPT) need `runWithFuture`, which takes each reference's next use.
 * Give each engine a policy of its own: one that keeps ghosts (IndexSharing) moves them
 * into this engine's index when the engine is created.
 */
export class ReplacementSim {
  readonly policy: ReplacementPolicy;
  readonly capacity: number;
  hits = 0;
  misses = 0;
  writebacks = 0;
  private readonly index: SlotIndex;
  private readonly dirty: Uint8Array;
  private readonly freeSlots: Int32Array;
  private freeCount: number;
  private readonly future: boolean;
  private readonly expiring: boolean;
  /** True when the policy keeps ghost codes in the index (so unindexing must check them). */
  private readonly shared: boolean;
  /** Whether to bring each block's index entries into the cache ahead of use. */
  private readonly warm: boolean;
  /** The meaningless result of `warm` (kept so the loads are not optimised away). */
  warmth = 0;

  constructor(policy: ReplacementPolicy, options: ReplacementSimOptions = {}) {
    invariant(policy.capacity >= 1, "sim-capacity", "ReplacementSim: capacity must be at least 1");
    this.policy = policy;
    this.capacity = policy.capacity;
    this.index = new SlotIndex(policy.capacity, options.narrowIndex !== false && narrowIndexFits(policy));
    this.dirty = new Uint8Array(policy.capacity);
    this.freeSlots = new Int32Array(policy.capacity);
    // Free slots pop in ascending order: slot 0 is filled first.
    for (let i = 0; i < policy.capacity; i++) this.freeSlots[i] = policy.capacity - 1 - i;
    this.freeCount = policy.capacity;
    this.future = isFutureAware(policy);
    this.expiring = isExpiring(policy);
    this.shared = sharesIndex(policy);
    this.warm = options.warmIndex ?? policy.warmIndex !== false;
    if (sharesIndex(policy)) policy.shareIndex(this.index);
  }

  get accesses(): number {
    return this.hits + this.misses;
  }

  /** Counters so far. */
  stats(): ReplacementStats {
    return {
      accesses: this.hits + this.misses,
      hits: this.hits,
      misses: this.misses,
      writebacks: this.writebacks,
    };
  }

  /** The slot holding `key`, or -1. Moves nothing (inspection has no side effects). */
  peek(key: number): number {
    return this.index.find(key);
  }

  /** The key resident in `slot`, or undefined for a free slot. */
  keyAt(slot: number): number | undefined {
    // A free slot still holds its last key, which the index no longer maps to it.
    const key = this.index.keys[slot]!;
    return this.index.find(key) === slot ? key : undefined;
  }

  /** Number of resident pages. */
  get resident(): number {
    return this.capacity - this.freeCount;
  }

  /**
   * One reference. Returns true on a hit. `nextUse` is required by FutureAware policies
   * (the logical time of this key's next reference, +Infinity when none).
   */
  access(key: number, write: boolean, nextUse = Number.POSITIVE_INFINITY): boolean {
    if (this.future) (this.policy as unknown as { setNextUse(n: number): void }).setNextUse(nextUse);
    const hit = this.reference(key, write);
    if (this.expiring) this.expire();
    return hit;
  }

  /** Evicts `key` if resident (munmap); returns whether it was. Counts a dirty write-back. */
  invalidate(key: number): boolean {
    const slot = this.index.find(key);
    if (slot < 0) return false;
    this.index.remove(slot);
    this.policy.remove(slot);
    this.release(slot);
    return true;
  }

  /** Runs a batch of references (the fast path). Not for FutureAware policies. */
  run(batch: RefBatch): void {
    invariant(!this.future, "sim-future", `ReplacementSim.run: ${this.policy.name} needs runWithFuture`);
    const { keys, count, writes } = batch;
    for (let start = 0, end = 0; start < count; start = end) {
      end = this.warmBlock(keys, start, count);
      if (this.expiring) this.runExpiring(keys, writes, start, end);
      else if (writes === undefined) this.runReads(keys, start, end);
      else this.runMixed(keys, writes, start, end);
    }
  }

  /** Runs references with their next-use times (OPT); `nextUse[i]` belongs to `keys[i]`. */
  runWithFuture(batch: RefBatch, nextUse: Float64Array): void {
    const p = this.policy as unknown as ReplacementPolicy & { setNextUse(n: number): void };
    invariant(this.future, "sim-future", `ReplacementSim.runWithFuture: ${p.name} is not FutureAware`);
    const { keys, count, writes } = batch;
    for (let start = 0, end = 0; start < count; start = end) {
      end = this.warmBlock(keys, start, count);
      for (let i = start; i < end; i++) {
        p.setNextUse(nextUse[i]!);
        this.reference(keys[i]!, writes !== undefined && writes[i] === 1);
      }
    }
  }

  /**
   * Brings the index entries of the next block of references into the cache together (a
   * tight loop of independent loads, which the processor overlaps, where one lookup per
   * reference between long miss paths would wait for memory each time); returns its end.
   */
  private warmBlock(keys: Float64Array, start: number, count: number): number {
    const end = Math.min(count, start + WARM_BLOCK);
    if (this.warm) this.warmth ^= this.index.warm(keys, start, end);
    return end;
  }

  private runExpiring(keys: Float64Array, writes: Uint8Array | undefined, start: number, end: number): void {
    for (let i = start; i < end; i++) {
      this.reference(keys[i]!, writes !== undefined && writes[i] === 1);
      this.expire();
    }
  }

  private runReads(keys: Float64Array, start: number, end: number): void {
    const index = this.index;
    const policy = this.policy;
    let hits = 0;
    for (let i = start; i < end; i++) {
      const key = keys[i]!;
      const slot = index.find(key);
      if (slot >= 0) {
        hits++;
        policy.onHit(slot, false);
      } else this.miss(key, false);
    }
    this.hits += hits;
  }

  private runMixed(keys: Float64Array, writes: Uint8Array, start: number, end: number): void {
    const index = this.index;
    const policy = this.policy;
    const dirty = this.dirty;
    let hits = 0;
    for (let i = start; i < end; i++) {
      const key = keys[i]!;
      const write = writes[i] === 1;
      const slot = index.find(key);
      if (slot >= 0) {
        hits++;
        if (write) dirty[slot] = 1;
        policy.onHit(slot, write);
      } else this.miss(key, write);
    }
    this.hits += hits;
  }

  private reference(key: number, write: boolean): boolean {
    const slot = this.index.find(key);
    if (slot >= 0) {
      this.hits++;
      if (write) this.dirty[slot] = 1;
      this.policy.onHit(slot, write);
      return true;
    }
    this.miss(key, write);
    return false;
  }

  /** A miss on `key`: take a free slot or the policy's victim, then insert. */
  private miss(key: number, write: boolean): void {
    this.misses++;
    let slot: number;
    if (this.freeCount > 0) slot = this.freeSlots[--this.freeCount]!;
    else {
      slot = this.policy.evict(key);
      // A policy sharing the index has unindexed its victim itself.
      if (!this.shared) this.index.removeOwn(slot);
      if (this.dirty[slot] === 1) this.writebacks++;
    }
    this.dirty[slot] = write ? 1 : 0;
    // The policy first, while a ghost code it keeps in the shared index is still there.
    this.policy.onInsert(slot, key, write);
    this.index.insert(slot, key);
  }

  private expire(): void {
    const p = this.policy as unknown as { nextExpired(now: number): number };
    const now = this.hits + this.misses;
    for (let slot = p.nextExpired(now); slot >= 0; slot = p.nextExpired(now)) {
      this.index.remove(slot);
      this.release(slot);
    }
  }

  private release(slot: number): void {
    if (this.dirty[slot] === 1) this.writebacks++;
    this.dirty[slot] = 0;
    this.freeSlots[this.freeCount++] = slot;
  }
}
