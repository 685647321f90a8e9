/**
 * LIRS (Low Inter-reference Recency Set): pages with a short reuse distance (LIR) keep
 * ~99% of the frames; the rest (resident HIR) form a small FIFO queue Q that supplies the
 * victims. Stack S orders recent pages (LIR, resident HIR and non-resident HIR ghosts)
 * by recency; a HIR page referenced again while still in S proves a short reuse distance
 * and becomes LIR, demoting the LIR page at the bottom of S. S is pruned so its bottom is
 * always LIR. Non-resident entries are capped at the number of frames (oldest dropped).
 * Source: Jiang and Zhang, "LIRS: an efficient low inter-reference recency set
 * replacement policy to improve buffer cache performance", SIGMETRICS 2002 (Lhirs = 1%).
 *
 * Non-resident entries are numbered in order of creation, and entry number s lives in
 * cell s mod M of a ring (M a power of two of at least 3 frames), so the oldest is found
 * by walking the ring forward past cells freed early (a page referenced again, or pruned
 * from S), and its entry's own links are read in order rather than at random. A ring
 * clogged with freed cells is compacted in place (each live entry takes its new cell's
 * place in S), at most once per M - frames creations. A key's code in the map is its
 * entry's creation number (modulo 2^k), so a code outside the ring's window is known stale
 * without reading its cell; one inside it is live only if its cell still holds the key
 * (which also makes an old code that wrapped back into the window harmless).
 * Cost: amortized O(1) per access (each pruning step removes an entry pushed earlier;
 * compaction moves at most one entry per creation, amortized).
 */
import { invariant } from "../base/errors.js";
import { DList, Links } from "./dlist.js";
import { PageMap } from "./page-map.js";
import type { IndexSharing, ReplacementPolicy, SharedPageIndex } from "./policy.js";

export class LirsPolicy implements ReplacementPolicy, IndexSharing {
  readonly name = "lirs";
  readonly capacity: number;
  private readonly lirLimit: number;
  private lirCount = 0;
  /** Entries 0..c-1 are slots; c + i is ring cell i, a non-resident HIR entry when live. */
  private readonly stack: DList;
  private readonly queue: DList;
  private readonly isLir: Uint8Array;
  private readonly inStack: Uint8Array;
  /** Entry → key (NaN for a free cell); `slotKeys` for the slots (the engine's `keys` when shared). */
  private readonly keyOf: Float64Array;
  private slotKeys: Float64Array;
  /**
   * Key → c + creation number (mod 2^k) of its non-resident entry: the engine's index when
   * it shares it (its slots are < c). Forgetting an entry leaves the key's code behind
   * (`release`): a code is live only while its number is in the ring's window and its cell
   * still holds that key (a freed cell holds NaN), which `ghostOf` checks, so the map is
   * never written for the cold keys of expired entries.
   */
  private ghosts: PageMap;
  /** True when `ghosts` is the engine's index (a victim kept as no entry is deleted from it). */
  private shared = false;
  /** Ring size minus one (a power of two minus one). */
  private readonly ringMask: number;
  /** Creation numbers of the oldest cell in use and of the next entry. */
  private ringTail = 0;
  private ringHead = 0;
  /** Live non-resident entries (at most the capacity). */
  private ghostCount = 0;
  /** Creation numbers are kept modulo 2^k in codes: this is 2^k - 1. */
  private readonly seqMask: number;

  /** `seqBits`: bits of the creation numbers in codes (default: as many as fit); for tests. */
  constructor(capacity: number, seqBits?: number) {
    this.capacity = capacity;
    const hirLimit = Math.max(1, Math.floor(capacity / 100));
    this.lirLimit = Math.max(0, capacity - hirLimit);
    let ring = 4;
    while (ring < 3 * capacity) ring *= 2;
    this.ringMask = ring - 1;
    // Codes c + (number mod 2^k) stay below 2^31.
    const k = Math.min(seqBits ?? 31, Math.floor(Math.log2(2 ** 31 - capacity)));
    invariant(ring <= 2 ** k, "lirs-codes", "LirsPolicy: too few bits for the creation numbers");
    this.seqMask = 2 ** k - 1;
    const entries = capacity + ring;
    this.stack = new DList(new Links(entries));
    this.queue = new DList(new Links(capacity));
    this.isLir = new Uint8Array(entries);
    this.inStack = new Uint8Array(entries);
    this.keyOf = new Float64Array(entries).fill(Number.NaN);
    this.slotKeys = this.keyOf;
    this.ghosts = new PageMap();
  }

  shareIndex(index: SharedPageIndex): void {
    this.ghosts = index.map;
    this.slotKeys = index.keys;
    this.shared = true;
  }

  onHit(slot: number, _write: boolean): void {
    const s = this.stack;
    if (this.isLir[slot] === 1) {
      const wasBottom = s.tail === slot;
      s.moveToHead(slot);
      if (wasBottom) this.prune();
    } else if (this.inStack[slot] === 1) {
      s.moveToHead(slot);
      this.queue.remove(slot);
      this.promote(slot);
    } else {
      s.pushHead(slot);
      this.inStack[slot] = 1;
      this.queue.moveToHead(slot);
    }
  }

  onInsert(slot: number, key: number, _write: boolean): void {
    this.slotKeys[slot] = key;
    const g = this.ghostOf(key);
    if (g >= 0) {
      this.ghosts.release(key, this.codeOf(g));
      // A non-resident HIR page still in S: its reuse distance is short, it becomes LIR.
      this.stack.remove(g);
      this.freeCell(g);
      this.stack.pushHead(slot);
      this.inStack[slot] = 1;
      this.promote(slot);
    } else if (this.lirCount < this.lirLimit) {
      this.stack.pushHead(slot);
      this.inStack[slot] = 1;
      this.isLir[slot] = 1;
      this.lirCount++;
    } else {
      this.stack.pushHead(slot);
      this.inStack[slot] = 1;
      this.queue.pushHead(slot);
    }
  }

  evict(): number {
    if (this.queue.size === 0) this.demoteBottom();
    const victim = this.queue.popTail();
    const key = this.slotKeys[victim]!;
    if (this.inStack[victim] === 1) {
      // It stays in S as a non-resident HIR entry, in the same place.
      const g = this.newEntry();
      this.keyOf[g] = key;
      this.ghosts.set(key, this.codeOf(g));
      this.stack.replace(victim, g);
      this.inStack[g] = 1;
      this.inStack[victim] = 0;
    } else if (this.shared) this.ghosts.forget(key);
    this.prune();
    return victim;
  }

  remove(slot: number): void {
    if (this.isLir[slot] === 1) {
      this.isLir[slot] = 0;
      this.lirCount--;
    } else this.queue.remove(slot);
    if (this.inStack[slot] === 1) {
      this.stack.remove(slot);
      this.inStack[slot] = 0;
    }
    this.prune();
  }

  /** Makes the resident HIR `slot` (now at the top of S) LIR, demoting if over the limit. */
  private promote(slot: number): void {
    this.isLir[slot] = 1;
    this.lirCount++;
    if (this.lirCount > this.lirLimit) this.demoteBottom();
  }

  /** The LIR page at the bottom of S becomes resident HIR at the end of Q. */
  private demoteBottom(): void {
    this.prune();
    const b = this.stack.tail;
    if (b < 0) return;
    this.stack.remove(b);
    this.inStack[b] = 0;
    this.isLir[b] = 0;
    this.lirCount--;
    this.queue.pushHead(b);
    this.prune();
  }

  /** Removes HIR entries from the bottom of S until the bottom is LIR. */
  private prune(): void {
    const s = this.stack;
    for (let e = s.tail; e >= 0 && this.isLir[e] === 0; e = s.tail) {
      s.remove(e);
      this.inStack[e] = 0;
      if (e >= this.capacity) {
        this.ghosts.release(this.keyOf[e]!, this.codeOf(e));
        this.freeCell(e);
      }
    }
  }

  /** The live non-resident entry of `key`, or -1. */
  private ghostOf(key: number): number {
    const c = this.capacity;
    const seq = this.ghosts.get(key) - c;
    if (seq < 0) return -1;
    const tail = this.ringTail;
    if (((seq - tail) & this.seqMask) >= this.ringHead - tail) return -1;
    const g = c + (seq & this.ringMask);
    return this.keyOf[g] === key ? g : -1;
  }

  /** The code of entry `g` (a cell in the ring's window): c + its creation number mod 2^k. */
  private codeOf(g: number): number {
    const tail = this.ringTail;
    const seq = tail + ((g - this.capacity - tail) & this.ringMask);
    return this.capacity + (seq & this.seqMask);
  }

  /** A cell for a new non-resident entry (not yet in S), forgetting the oldest at the cap. */
  private newEntry(): number {
    const c = this.capacity;
    if (this.ghostCount >= c) {
      // Forget the oldest non-resident entry: the first cell in use from the tail on.
      const keyOf = this.keyOf;
      let seq = this.ringTail;
      let g = c + (seq & this.ringMask);
      while (Number.isNaN(keyOf[g]!)) g = c + (++seq & this.ringMask);
      this.stack.remove(g);
      this.ghosts.release(keyOf[g]!, this.codeOf(g));
      this.freeCell(g);
      this.ringTail = seq + 1;
    }
    if (this.ringHead - this.ringTail > this.ringMask) this.compact();
    const g = c + (this.ringHead++ & this.ringMask);
    this.ghostCount++;
    return g;
  }

  private freeCell(g: number): void {
    this.inStack[g] = 0;
    this.keyOf[g] = Number.NaN;
    this.ghostCount--;
  }

  /** Moves the live entries to consecutive cells from the tail on, in creation order. */
  private compact(): void {
    const c = this.capacity;
    const mask = this.ringMask;
    const keyOf = this.keyOf;
    let w = this.ringTail;
    for (let r = this.ringTail; r < this.ringHead; r++) {
      const from = c + (r & mask);
      const key = keyOf[from]!;
      if (Number.isNaN(key)) continue;
      if (r !== w) {
        const to = c + (w & mask);
        this.stack.replace(from, to);
        keyOf[to] = key;
        keyOf[from] = Number.NaN;
        this.inStack[to] = 1;
        this.inStack[from] = 0;
        this.ghosts.set(key, c + (w & this.seqMask));
      }
      w++;
    }
    this.ringHead = w;
  }
}
