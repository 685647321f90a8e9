/**
 * S3-FIFO: a small FIFO S (10% of the frames) admits new pages, a main FIFO M holds the
 * rest, and a ghost FIFO G remembers as many keys as M holds pages. A page leaving S that
 * was hit while there moves to M, otherwise its key goes to G; a miss on a key in G goes
 * straight to M. M reinserts a page with a non-zero 2-bit frequency (decrementing it)
 * instead of evicting it.
 * Source: Yang, Zhang, Qiu, Yue and Rashmi, "FIFO queues are all you need for cache
 * eviction", SOSP 2023 (Algorithm 1, the original variant).
 * Cost: O(1) per hit (a saturating counter); amortized O(1) per miss. S and M are rings of
 * slots, so their queues are read and written in order.
 */
import { GhostList } from "./ghost.js";
import type { PageMap } from "./page-map.js";
import type { IndexSharing, ReplacementPolicy, SharedPageIndex } from "./policy.js";
import { SlotRing } from "./slot-ring.js";

export class S3FifoPolicy implements ReplacementPolicy, IndexSharing {
  readonly name = "s3-fifo";
  readonly capacity: number;
  private readonly smallLimit: number;
  private readonly small: SlotRing;
  private readonly main: SlotRing;
  private ghost: GhostList;
  private readonly freq: Uint8Array;
  private readonly inMain: Uint8Array;
  /** Slot → key (the engine's `keys` when it shares its index). */
  private keyOf: Float64Array;
  /** The engine's index when shared (a victim kept as no ghost is deleted from it). */
  private shared: PageMap | undefined;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.smallLimit = Math.max(1, Math.floor(capacity / 10));
    this.small = new SlotRing(capacity);
    this.main = new SlotRing(capacity);
    this.ghost = new GhostList(Math.max(1, capacity - this.smallLimit));
    this.freq = new Uint8Array(capacity);
    this.inMain = new Uint8Array(capacity);
    this.keyOf = new Float64Array(capacity);
  }

  shareIndex(index: SharedPageIndex): void {
    this.ghost = new GhostList(Math.max(1, this.capacity - this.smallLimit), {
      map: index.map,
      offset: index.capacity,
    });
    this.keyOf = index.keys;
    this.shared = index.map;
  }

  onHit(slot: number, _write: boolean): void {
    const f = this.freq[slot]!;
    if (f < 3) this.freq[slot] = f + 1;
  }

  onInsert(slot: number, key: number, _write: boolean): void {
    this.keyOf[slot] = key;
    this.freq[slot] = 0;
    if (this.ghost.delete(key)) {
      this.main.push(slot);
      this.inMain[slot] = 1;
    } else {
      this.small.push(slot);
      this.inMain[slot] = 0;
    }
  }

  evict(): number {
    for (;;) {
      if (this.small.size >= this.smallLimit || this.main.size === 0) {
        const t = this.small.pop();
        if (this.freq[t]! === 0) {
          this.ghost.push(this.keyOf[t]!);
          return t;
        }
        this.freq[t] = 0;
        this.main.push(t);
        this.inMain[t] = 1;
      } else {
        const t = this.main.pop();
        const f = this.freq[t]!;
        if (f === 0) {
          this.shared?.forget(this.keyOf[t]!);
          return t;
        }
        this.freq[t] = f - 1;
        this.main.push(t);
      }
    }
  }

  remove(slot: number): void {
    if (this.inMain[slot] === 1) this.main.remove(slot);
    else this.small.remove(slot);
  }
}
