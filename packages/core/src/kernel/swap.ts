/**
 * Swap space: N page-sized slots on a simulated swap device.
 *
 * Like Linux's `swap_map`, each slot has a use count: the number of non-present PTEs
 * (swap entries) that name it. A private page shared copy-on-write by a parent and its
 * child and evicted once is referenced by both PTEs, so its slot count is 2; the slot is
 * free again when the count drops to 0. Slot contents are real bytes, so a page comes
 * back from swap exactly as it left.
 */
import type { SwapSlot } from "../base/index.js";
import { asSwapSlot, invariant } from "../base/index.js";

/** Opaque copy of a swap area's state. */
export interface SwapSnapshot {
  readonly useCount: Int32Array;
  readonly data: Uint8Array;
  readonly cursor: number;
  readonly used: number;
}

export class SwapSpace {
  private readonly useCount: Int32Array;
  private readonly data: Uint8Array;
  /** Next slot to try (a rotating cursor, as scan_swap_map does, spreads the writes). */
  private cursor = 0;
  private used = 0;

  /** `slots` slots of `pageSize` bytes each; zero slots means no swap at all. */
  constructor(
    readonly slots: number,
    readonly pageSize: number,
  ) {
    this.useCount = new Int32Array(slots);
    this.data = new Uint8Array(slots * pageSize);
  }

  /** Slots not referenced by any swap entry. */
  freeCount(): number {
    return this.slots - this.used;
  }

  /** Slots referenced by at least one swap entry. */
  usedCount(): number {
    return this.used;
  }

  /** The number of swap entries naming `slot` (0 = free). */
  count(slot: SwapSlot): number {
    return this.useCount[slot] ?? 0;
  }

  /** Takes a free slot with use count `refs`, or null when swap is full. */
  alloc(refs: number): SwapSlot | null {
    if (this.used === this.slots) return null;
    for (let i = 0; i < this.slots; i++) {
      const s = (this.cursor + i) % this.slots;
      if (this.useCount[s] === 0) {
        this.useCount[s] = refs;
        this.used++;
        this.cursor = (s + 1) % this.slots;
        return asSwapSlot(s);
      }
    }
    return null;
  }

  /** One more swap entry names `slot` (fork copied a PTE holding it). */
  dup(slot: SwapSlot): void {
    invariant(this.count(slot) > 0, "swap.dup", `SwapSpace: dup of free slot ${slot}`);
    this.useCount[slot] = this.count(slot) + 1;
  }

  /** One swap entry naming `slot` is gone; returns true when the slot became free. */
  put(slot: SwapSlot): boolean {
    const c = this.count(slot);
    invariant(c > 0, "swap.put", `SwapSpace: release of free slot ${slot}`);
    this.useCount[slot] = c - 1;
    if (c === 1) {
      this.used--;
      return true;
    }
    return false;
  }

  /** Copies a page's bytes into `slot` (the write to the swap device). */
  write(slot: SwapSlot, page: Uint8Array): void {
    this.data.set(page.subarray(0, this.pageSize), slot * this.pageSize);
  }

  /** The bytes of `slot` (a view; copy before keeping). */
  read(slot: SwapSlot): Uint8Array {
    return this.data.subarray(slot * this.pageSize, (slot + 1) * this.pageSize);
  }

  snapshot(): SwapSnapshot {
    return { useCount: this.useCount.slice(), data: this.data.slice(), cursor: this.cursor, used: this.used };
  }

  restore(s: SwapSnapshot): void {
    this.useCount.set(s.useCount);
    this.data.set(s.data);
    this.cursor = s.cursor;
    this.used = s.used;
  }
}
