/**
 * 2Q (full version): new pages enter A1in, a FIFO of at most Kin = c/4 frames; pages
 * pushed out of A1in are remembered (keys only) in A1out, a FIFO of Kout = c/2 ghosts; a
 * miss on a page in A1out admits it to Am, an LRU of the hot pages. Hits in A1in do not
 * promote (correlated references stay cold).
 * Source: Johnson and Shasha, "2Q: a low overhead high performance buffer management
 * replacement algorithm", VLDB 1994 (Kin 25%, Kout 50%, as recommended there).
 * Cost: O(1) per access.
 */
import { DList, Links } from "./dlist.js";
import { GhostList } from "./ghost.js";
import type { PageMap } from "./page-map.js";
import type { IndexSharing, ReplacementPolicy, SharedPageIndex } from "./policy.js";

export class TwoQPolicy implements ReplacementPolicy, IndexSharing {
  readonly name = "2q";
  readonly capacity: number;
  private readonly kin: number;
  private readonly a1in: DList;
  private readonly am: DList;
  private a1out: GhostList;
  private readonly inAm: Uint8Array;
  /** Slot → key (the engine's `keys` when it shares its index). */
  private keyOf: Float64Array;
  /** The engine's index when shared (a victim kept as no ghost is deleted from it). */
  private shared: PageMap | undefined;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.kin = Math.max(1, Math.floor(capacity / 4));
    const links = new Links(capacity);
    this.a1in = new DList(links);
    this.am = new DList(links);
    this.a1out = new GhostList(Math.max(1, Math.floor(capacity / 2)));
    this.inAm = new Uint8Array(capacity);
    this.keyOf = new Float64Array(capacity);
  }

  shareIndex(index: SharedPageIndex): void {
    this.a1out = new GhostList(Math.max(1, Math.floor(this.capacity / 2)), {
      map: index.map,
      offset: index.capacity,
    });
    this.keyOf = index.keys;
    this.shared = index.map;
  }

  onHit(slot: number, _write: boolean): void {
    if (this.inAm[slot] === 1) this.am.moveToHead(slot);
  }

  onInsert(slot: number, key: number, _write: boolean): void {
    this.keyOf[slot] = key;
    if (this.a1out.delete(key)) {
      this.am.pushHead(slot);
      this.inAm[slot] = 1;
    } else {
      this.a1in.pushHead(slot);
      this.inAm[slot] = 0;
    }
  }

  evict(): number {
    if (this.a1in.size > this.kin || this.am.size === 0) {
      const victim = this.a1in.popTail();
      this.a1out.push(this.keyOf[victim]!);
      return victim;
    }
    const victim = this.am.popTail();
    this.shared?.forget(this.keyOf[victim]!);
    return victim;
  }

  remove(slot: number): void {
    if (this.inAm[slot] === 1) this.am.remove(slot);
    else this.a1in.remove(slot);
  }
}
