/**
 * The page-replacement interface shared by the kernel and the trace simulator.
 *
 * The engine owns the loop (libCacheSim's design): look the page up; on a hit tell the
 * policy; on a miss with a free frame slot insert; on a miss with none, ask the policy to
 * *choose* a victim, then the engine evicts it and inserts the new page in that slot.
 * Policies see only slot numbers 0..capacity-1 (a slot is a frame the policy manages) and
 * page keys; they keep their own state in typed arrays and allocate nothing per access.
 */
import type { PageMap } from "./page-map.js";

export interface ReplacementPolicy {
  /** Registry name, e.g. "lru", "clock", "s3-fifo". */
  readonly name: string;
  /** The number of slots this instance manages (fixed at creation). */
  readonly capacity: number;
  /** The resident page in `slot` was referenced (`write` when it was a store). */
  onHit(slot: number, write: boolean): void;
  /** Page `key` was placed in the empty `slot` after a miss. */
  onInsert(slot: number, key: number, write: boolean): void;
  /**
   * Chooses a victim among the occupied slots and forgets it; the engine then evicts that
   * page. Precondition: every slot is occupied. The returned slot is empty afterwards.
   * `incoming` is the key about to be inserted when the caller knows it: policies that
   * adapt on a ghost hit before choosing (ARC) use it; without it they treat the incoming
   * page as never seen.
   */
  evict(incoming?: number): number;
  /** The page in `slot` left for another reason (munmap, exit); the slot is empty afterwards. */
  remove(slot: number): void;
  /**
   * False for a policy whose miss path is so short that the processor overlaps one
   * reference's index lookup with the next on its own (FIFO, LRU, SIEVE): the engine then
   * does not bring each block's index entries into the cache ahead of use, which would only
   * cost it a second pass. Absent means true. Affects speed only, never a result.
   */
  readonly warmIndex?: boolean;
}

/**
 * Optional knowledge of the future, for OPT/Belady: the engine calls `setNextUse` with the
 * logical time of the key's next reference (or +Infinity) before each `onHit`/`onInsert`.
 */
export interface FutureAware {
  setNextUse(nextUse: number): void;
}

/**
 * Optional for policies whose resident set shrinks on its own (Working Set): after each
 * reference at logical time `now` the engine asks for slots whose pages left the working
 * set and evicts them, until the answer is -1. Each returned slot is empty afterwards.
 */
export interface Expiring {
  nextExpired(now: number): number;
}

/**
 * The engine's page index, which a policy that remembers evicted pages (ghosts) may share,
 * so that the engine's one lookup of an incoming page also finds its ghost (the policy's
 * own lookup then reads a cache line the engine just touched). `map` holds key → code: a
 * code below `capacity` is the slot of a resident page; a sharing policy stores its ghosts
 * as codes at or above `capacity`, and deletes them itself. `keys[slot]` is the key
 * resident in `slot`. The engine tells the policy about an insertion (`onInsert`) before
 * it indexes the page, so the policy still sees the page's ghost code there. A sharing
 * policy's `evict` unindexes its victim itself: it overwrites the victim's entry with a
 * ghost code, or deletes it (`map.forget`); the engine leaves that entry alone, so a miss
 * touches the victim's (usually cold) entry once, with a store.
 */
export interface SharedPageIndex {
  readonly capacity: number;
  readonly map: PageMap;
  readonly keys: Float64Array;
}

/** Optional: a policy that keeps ghosts in the engine's index when offered it. */
export interface IndexSharing {
  /** Called once by the engine before the first reference. */
  shareIndex(index: SharedPageIndex): void;
}

/** Creation parameters common to every policy; policy-specific knobs are named fields. */
export interface PolicyOptions {
  readonly capacity: number;
  /** Seed for policies that draw random numbers (Random). */
  readonly seed?: number;
  /** Working-set window τ in references (Working Set, WSClock). */
  readonly window?: number;
  /** Counter width in bits (Aging). */
  readonly bits?: number;
  /** References between two clock ticks (Aging's counter shift); default: the capacity. */
  readonly tick?: number;
}

/** True when `p` implements `FutureAware` (OPT). */
export function isFutureAware(p: ReplacementPolicy): p is ReplacementPolicy & FutureAware {
  return typeof (p as Partial<FutureAware>).setNextUse === "function";
}

/** True when `p` implements `IndexSharing`. */
export function sharesIndex(p: ReplacementPolicy): p is ReplacementPolicy & IndexSharing {
  return typeof (p as Partial<IndexSharing>).shareIndex === "function";
}

/** True when `p` implements `Expiring` (Working Set). */
export function isExpiring(p: ReplacementPolicy): p is ReplacementPolicy & Expiring {
  return typeof (p as Partial<Expiring>).nextExpired === "function";
}
