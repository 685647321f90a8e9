/**
 * ARC (Adaptive Replacement Cache): two LRU lists of resident pages, T1 (seen once
 * recently) and T2 (seen at least twice), and two ghost lists B1, B2 of pages recently
 * evicted from each. A miss that hits a ghost moves the target size p of T1 toward the
 * list that would have kept the page; REPLACE evicts from T1 when it exceeds p.
 * Source: Megiddo and Modha, "ARC: a self-tuning, low overhead replacement cache",
 * FAST 2003, Fig. 4 (integer adaptation steps, as in most implementations).
 * Cost: O(1) per access (list moves and ghost hash lookups).
 */
import { DList, Links } from "./dlist.js";
import { GhostSet } from "./ghost.js";
import type { PageMap } from "./page-map.js";
import type { IndexSharing, ReplacementPolicy, SharedPageIndex } from "./policy.js";

const NONE = 0;
const IN_B1 = 1;
const IN_B2 = 2;
/** Ghost list numbers in the `GhostSet`. */
const B1 = 0;
const B2 = 1;

export class ArcPolicy implements ReplacementPolicy, IndexSharing {
  readonly name = "arc";
  readonly capacity: number;
  private readonly t1: DList;
  private readonly t2: DList;
  /** The ghost lists B1 (list 0) and B2 (list 1), one map for both. */
  private ghosts: GhostSet;
  /** Per slot: 1 when in T2. */
  private readonly inT2: Uint8Array;
  /** Slot → key (the engine's `keys` when it shares its index). */
  private keyOf: Float64Array;
  /** The engine's index when shared (a victim kept as no ghost is deleted from it). */
  private shared: PageMap | undefined;
  /** Target size of T1. */
  private p = 0;
  /** The ghost hit `evict(incoming)` already handled, for the `onInsert` that follows. */
  private pendingKey = Number.NaN;
  private pendingWhere = NONE;

  constructor(capacity: number) {
    this.capacity = capacity;
    const links = new Links(capacity);
    this.t1 = new DList(links);
    this.t2 = new DList(links);
    // |T1| + |B1| <= c and |T1| + |T2| + |B1| + |B2| <= 2c: at most c ghosts at once.
    this.ghosts = new GhostSet([capacity, capacity], capacity);
    this.inT2 = new Uint8Array(capacity);
    this.keyOf = new Float64Array(capacity);
  }

  shareIndex(index: SharedPageIndex): void {
    const c = this.capacity;
    this.ghosts = new GhostSet([c, c], c, { map: index.map, offset: index.capacity });
    this.keyOf = index.keys;
    this.shared = index.map;
  }

  onHit(slot: number, _write: boolean): void {
    if (this.inT2[slot] === 1) this.t2.moveToHead(slot);
    else {
      this.t1.remove(slot);
      this.t2.pushHead(slot);
      this.inT2[slot] = 1;
    }
  }

  onInsert(slot: number, key: number, _write: boolean): void {
    this.keyOf[slot] = key;
    let where = NONE;
    if (key === this.pendingKey) where = this.pendingWhere;
    else {
      // No eviction preceded (a free frame): adapt here, and keep the ghosts in bounds.
      where = this.ghostHit(key);
      if (where === NONE) this.trimGhostsForInsert();
    }
    this.pendingKey = Number.NaN;
    if (where !== NONE) this.ghosts.delete(key);
    if (where === NONE) {
      this.t1.pushHead(slot);
      this.inT2[slot] = 0;
    } else {
      this.t2.pushHead(slot);
      this.inT2[slot] = 1;
    }
  }

  evict(incoming?: number): number {
    const c = this.capacity;
    const where = incoming === undefined ? NONE : this.ghostHit(incoming);
    this.pendingKey = incoming ?? Number.NaN;
    this.pendingWhere = where;
    if (where !== NONE) return this.replace(where === IN_B2);
    // Case IV: a page in no list.
    const b1 = this.ghosts.size(B1);
    const b2 = this.ghosts.size(B2);
    if (this.t1.size + b1 >= c) {
      if (this.t1.size < c) {
        this.ghosts.popOldest(B1);
        return this.replace(false);
      }
      const victim = this.t1.popTail(); // T1 alone fills L1: drop its LRU page for good
      this.shared?.forget(this.keyOf[victim]!);
      return victim;
    }
    if (this.t1.size + this.t2.size + b1 + b2 >= 2 * c) this.ghosts.popOldest(B2);
    return this.replace(false);
  }

  remove(slot: number): void {
    if (this.inT2[slot] === 1) this.t2.remove(slot);
    else this.t1.remove(slot);
  }

  /** Which ghost list holds `key`, adapting p as ARC's cases II and III do. */
  private ghostHit(key: number): number {
    const list = this.ghosts.find(key);
    if (list < 0) return NONE;
    const b1 = this.ghosts.size(B1);
    const b2 = this.ghosts.size(B2);
    if (list === B1) {
      const delta = Math.max(1, Math.floor(b2 / b1));
      this.p = Math.min(this.capacity, this.p + delta);
      return IN_B1;
    }
    const delta = Math.max(1, Math.floor(b1 / b2));
    this.p = Math.max(0, this.p - delta);
    return IN_B2;
  }

  /** Case IV's ghost trimming when a free frame spares the REPLACE. */
  private trimGhostsForInsert(): void {
    const c = this.capacity;
    const b1 = this.ghosts.size(B1);
    if (this.t1.size + b1 >= c) this.ghosts.popOldest(B1);
    else if (this.t1.size + this.t2.size + b1 + this.ghosts.size(B2) >= 2 * c) this.ghosts.popOldest(B2);
  }

  /** REPLACE(x, p): the LRU page of T1 goes to B1, or that of T2 goes to B2. */
  private replace(incomingInB2: boolean): number {
    const t1 = this.t1.size;
    if (t1 > 0 && (t1 > this.p || (incomingInB2 && t1 === this.p) || this.t2.size === 0)) {
      const victim = this.t1.popTail();
      this.ghosts.push(B1, this.keyOf[victim]!);
      return victim;
    }
    const victim = this.t2.popTail();
    this.ghosts.push(B2, this.keyOf[victim]!);
    return victim;
  }
}
