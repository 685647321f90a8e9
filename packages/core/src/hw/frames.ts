/**
 * The frame table: one record per physical frame, indexed by pfn, like Linux's
 * `struct page` array. Stored as a struct of typed arrays so scanning millions of frames
 * allocates nothing and snapshots are plain copies.
 */
import { invariant } from "../base/errors.js";
import type { Pfn } from "../base/units.js";

/** What a frame is used for (the frame map colours frames by this). */
export const FRAME_FREE = 0;
export const FRAME_PAGE_TABLE = 1;
export const FRAME_ANON = 2;
export const FRAME_FILE = 3;
export const FRAME_SHARED = 4;
export const FRAME_KERNEL = 5;
export const FRAME_PAGE_CACHE = 6;
export const FRAME_HEAP = 7;
export const FRAME_RESERVED = 8;
/** A frame use code, one of the `FRAME_*` use constants. */
export type FrameUse = number;

const USE_NAMES = [
  "free",
  "page-table",
  "anon",
  "file",
  "shared",
  "kernel",
  "page-cache",
  "heap",
  "reserved",
] as const;

/** The name of a use code (`"page-table"`, `"anon"`…), `"use-N"` for unknown codes. */
export function frameUseName(use: FrameUse): string {
  return USE_NAMES[use] ?? `use-${use}`;
}

/** Per-frame flag bits (`flags` array), after Linux's page flags. */
export const FRAME_FLAG_LOCKED = 1 << 0;
export const FRAME_FLAG_DIRTY = 1 << 1;
export const FRAME_FLAG_REFERENCED = 1 << 2;
export const FRAME_FLAG_ACTIVE = 1 << 3;
export const FRAME_FLAG_SWAPCACHE = 1 << 4;
export const FRAME_FLAG_PINNED = 1 << 5;
export const FRAME_FLAG_POISONED = 1 << 6;

/** `owner` value of a frame that belongs to no process. */
export const NO_OWNER = -1;

/** A copy of the frame table's arrays, for snapshots. */
export interface FrameTableState {
  readonly use: Uint8Array;
  readonly owner: Int32Array;
  readonly mapCount: Int32Array;
  readonly flags: Uint16Array;
  readonly priv: Int32Array;
}

/**
 * The frame table. The arrays are public for fast scans; write through the methods when
 * a meaning matters (`setUse`, `release`). Everything starts free, unowned, unmapped.
 */
export class FrameTable {
  readonly count: number;
  /** Use code per frame (`FRAME_*`). */
  readonly use: Uint8Array;
  /** Owning pid, or `NO_OWNER`. */
  readonly owner: Int32Array;
  /** Number of PTEs mapping the frame (sharing, COW). Kept by the kernel. */
  readonly mapCount: Int32Array;
  /** `FRAME_FLAG_*` bits. */
  readonly flags: Uint16Array;
  /** Free for the owner's bookkeeping, like Linux's page->private (buddy order, swap slot…). */
  readonly priv: Int32Array;

  constructor(count: number) {
    invariant(Number.isInteger(count) && count >= 1, "hw.frames", `FrameTable: bad frame count ${count}`);
    this.count = count;
    this.use = new Uint8Array(count);
    this.owner = new Int32Array(count).fill(NO_OWNER);
    this.mapCount = new Int32Array(count);
    this.flags = new Uint16Array(count);
    this.priv = new Int32Array(count);
  }

  /** Marks `n` frames from `pfn` as used for `use` by `owner`. Precondition: in range. */
  setUse(pfn: Pfn, use: FrameUse, owner: number = NO_OWNER, n = 1): void {
    this.check(pfn, n);
    this.use.fill(use, pfn, pfn + n);
    this.owner.fill(owner, pfn, pfn + n);
  }

  /** Returns `n` frames from `pfn` to the free state (use, owner, map count, flags cleared). */
  release(pfn: Pfn, n = 1): void {
    this.check(pfn, n);
    this.use.fill(FRAME_FREE, pfn, pfn + n);
    this.owner.fill(NO_OWNER, pfn, pfn + n);
    this.mapCount.fill(0, pfn, pfn + n);
    this.flags.fill(0, pfn, pfn + n);
    this.priv.fill(0, pfn, pfn + n);
  }

  /** Number of frames whose use is `use`. */
  countUse(use: FrameUse): number {
    let n = 0;
    for (let i = 0; i < this.count; i++) if (this.use[i] === use) n++;
    return n;
  }

  save(): FrameTableState {
    return {
      use: this.use.slice(),
      owner: this.owner.slice(),
      mapCount: this.mapCount.slice(),
      flags: this.flags.slice(),
      priv: this.priv.slice(),
    };
  }

  load(s: FrameTableState): void {
    invariant(s.use.length === this.count, "hw.restore", "FrameTable.load: frame count differs");
    this.use.set(s.use);
    this.owner.set(s.owner);
    this.mapCount.set(s.mapCount);
    this.flags.set(s.flags);
    this.priv.set(s.priv);
  }

  private check(pfn: number, n: number): void {
    invariant(
      Number.isInteger(pfn) && pfn >= 0 && n >= 1 && pfn + n <= this.count,
      "hw.pfn",
      `FrameTable: frames ${pfn}..${pfn + n - 1} are outside 0..${this.count - 1}`,
    );
  }
}
