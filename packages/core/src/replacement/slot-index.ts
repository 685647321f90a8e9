/**
 * The engine's page → slot index, shareable with the policy (`SharedPageIndex`): a
 * `PageMap`, so page numbers below 2^22 (16 GiB of 4 KiB pages) index a flat array as a
 * page table would and a lookup is one memory access; larger keys go to a hash map. A
 * value below `capacity` is a resident slot; values at or above it belong to a policy
 * that keeps its ghosts here, and read as "not resident". `keys[slot]` is the resident
 * key, so evicting a slot needs no search.
 * Cost: O(1) per lookup, insert and remove; nothing allocated (except when the flat array
 * grows to cover a larger page number).
 */
import { invariant } from "../base/errors.js";
import { PageMap } from "./page-map.js";
import type { SharedPageIndex } from "./policy.js";

/** The most slots an index with 16-bit entries can hold (slots 0..2^15-1). */
export const NARROW_SLOTS = 1 << 15;

export class SlotIndex extends PageMap implements SharedPageIndex {
  readonly capacity: number;
  /** Slot → its key (meaningful while the slot is indexed). */
  readonly keys: Float64Array;

  /**
   * `narrow`: no policy will keep codes here and `capacity` is below 2^15, so the flat
   * array can take 16-bit entries (on a miss-heavy trace over a million pages, end to end:
   * LRU, FIFO and SIEVE at 10,000 frames 1.02-1.24x faster).
   */
  constructor(capacity: number, narrow = false) {
    invariant(
      !narrow || capacity <= NARROW_SLOTS,
      "slot-index-narrow",
      "SlotIndex: 16-bit entries hold at most 2^15 slots",
    );
    super(capacity, narrow);
    this.capacity = capacity;
    this.keys = new Float64Array(capacity);
  }

  /** The index itself is the map a policy shares (one object: no extra indirection). */
  get map(): PageMap {
    return this;
  }

  /** The slot holding `key`, or -1 (also when the key is only a policy's ghost). */
  find(key: number): number {
    const code = this.get(key);
    return code < this.capacity ? code : -1;
  }

  /** Indexes `key` in the free `slot` (replacing any ghost code the key had). */
  insert(slot: number, key: number): void {
    this.keys[slot] = key;
    this.set(key, slot);
  }

  /**
   * Unindexes the key in `slot` when no policy keeps codes in this index: a plain store
   * (on a miss-heavy trace the victim's entry is a cold line, and a store does not wait
   * for it the way a load would).
   */
  removeOwn(slot: number): void {
    this.forget(this.keys[slot]!);
  }

  /** Unindexes the key in `slot`, unless a policy already put a ghost code in its place. */
  remove(slot: number): void {
    this.deleteIf(this.keys[slot]!, slot);
  }
}
