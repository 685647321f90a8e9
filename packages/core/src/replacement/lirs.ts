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
 * Every node of S has a 16-byte record (`Links` with a value): its links, then for a slot
 * its flags and queue position, for a ring cell its key. A victim's flags, position and
 * links then come in one cache line, and so do a non-resident entry's key and links.
 *
 * Q is a ring of slots in push order. Removing a slot from Q only clears its IN_Q flag;
 * a cell is live while its slot is in Q at that cell's position, so `pop` reads the ring
 * in order and skips dead cells, with no links to follow from one victim to the next. A
 * ring clogged with dead cells (runs of hits that re-queue pages) is compacted.
 *
 * Non-resident entries are numbered in order of creation, and entry number s lives in
 * cell s mod M of a ring (M a power of two of at least 3 frames), so the oldest is found
 * by walking the ring forward past cells freed early (a page referenced again, or pruned
 * from S), and its entry's own links are read in order rather than at random. A ring
 * clogged with freed cells is compacted in place (each live entry takes its new cell's
 * place in S), at most once per M - frames creations. A key's code in the map is its
 * entry's creation number (modulo 2^k). Codes are deleted when an entry is pruned or its
 * page comes back, and an entry dropped as the oldest falls out of the ring's window; so
 * a code inside the window always names the key's live entry, and a miss decides it
 * without reading the cell. Codes left behind by dropped entries are swept from the map
 * every 2^(k-1) creations, before their numbers can come round into the window again.
 * Cost: amortized O(1) per access (each pruning step removes an entry pushed earlier;
 * compaction moves at most one entry per creation, amortized; a sweep of the map costs
 * its size once per 2^(k-1) creations).
 */
import { invariant } from "../base/errors.js";
import { DList, Links } from "./dlist.js";
import { PageMap } from "./page-map.js";
import type { IndexSharing, ReplacementPolicy, SharedPageIndex } from "./policy.js";

/** Slot flags: in S, LIR, in Q. */
const IN_STACK = 1;
const LIR = 2;
const IN_Q = 4;
/** Flag bits below the queue position. */
const Q_SHIFT = 3;
/** Queue positions are kept modulo 2^28 in the flags. */
const Q_POS = (1 << 28) - 1;

export class LirsPolicy implements ReplacementPolicy, IndexSharing {
  readonly name = "lirs";
  readonly capacity: number;
  private readonly lirLimit: number;
  private lirCount = 0;
  /** Stack S: slots 0..c-1 (resident pages) and c + i for ring cell i (non-resident entries). */
  private readonly stack: DList;
  /** Q as a ring of slots; a cell is live when its slot's flags hold IN_Q and its position. */
  private readonly qRing: Int32Array;
  private readonly qMask: number;
  /** Positions of Q's oldest cell in use and of the next push; live slots in Q. */
  private qTail = 0;
  private qHead = 0;
  private qSize = 0;
  /**
   * S's records as int32s: node i's links at 4i and 4i+1; for a slot, at 4i+2, its flags
   * (IN_STACK | LIR | IN_Q) with its position in Q (mod 2^28) above them.
   */
  private readonly rec: Int32Array;
  /** Slot → its key (the engine's keys when it shares its index). */
  private slotKeys: Float64Array;
  /** S's records as float64s: `key[2g + 1]` is ring cell g's key (NaN when the cell is free). */
  private readonly key: Float64Array;
  /**
   * Key → c + creation number (mod 2^k) of its non-resident entry: the engine's index when
   * it shares it (its slots are < c).
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
  /** Creations between sweeps of stale codes from the map (half the code range). */
  private readonly sweepEvery: number;
  private untilSweep: number;

  /** `seqBits`: bits of the creation numbers in codes (default: as many as fit); for tests. */
  constructor(capacity: number, seqBits?: number) {
    this.capacity = capacity;
    const hirLimit = Math.max(1, Math.floor(capacity / 100));
    this.lirLimit = Math.max(0, capacity - hirLimit);
    let ring = 4;
    while (ring < 3 * capacity) ring *= 2;
    this.ringMask = ring - 1;
    const k = Math.min(seqBits ?? 31, Math.floor(Math.log2(2 ** 31 - capacity)));
    invariant(2 * ring <= 2 ** k, "lirs-codes", "LirsPolicy: too few bits for the creation numbers");
    this.seqMask = 2 ** k - 1;
    this.sweepEvery = 2 ** (k - 1);
    this.untilSweep = this.sweepEvery;
    const entries = capacity + ring;
    const records = new Links(entries, true);
    this.stack = new DList(records);
    this.rec = records.link;
    this.key = records.value;
    for (let g = capacity; g < entries; g++) this.key[2 * g + 1] = Number.NaN;
    this.slotKeys = new Float64Array(capacity);
    let q = 4;
    while (q <= capacity) q *= 2;
    invariant(q <= Q_POS, "lirs-queue", "LirsPolicy: too many frames for the queue positions");
    this.qRing = new Int32Array(q);
    this.qMask = q - 1;
    this.ghosts = new PageMap();
  }

  shareIndex(index: SharedPageIndex): void {
    this.ghosts = index.map;
    this.slotKeys = index.keys;
    this.shared = true;
  }

  onHit(slot: number, _write: boolean): void {
    const s = this.stack;
    const f = this.rec[4 * slot + 2]!;
    if ((f & LIR) !== 0) {
      const wasBottom = s.tail === slot;
      s.moveToHead(slot);
      if (wasBottom) this.prune();
    } else if ((f & IN_STACK) !== 0) {
      s.moveToHead(slot);
      this.qRemove(slot);
      this.promote(slot);
    } else {
      s.pushHead(slot);
      this.qRemove(slot);
      this.qPush(slot, IN_STACK);
    }
  }

  onInsert(slot: number, key: number, _write: boolean): void {
    this.slotKeys[slot] = key;
    const g = this.ghostOf(key);
    if (g >= 0) {
      // Its code goes (the engine's index, when shared, then maps the key to its slot).
      this.ghosts.forget(key);
      this.stack.remove(g);
      this.freeCell(g);
      this.stack.pushHead(slot);
      this.promote(slot);
    } else if (this.lirCount < this.lirLimit) {
      this.stack.pushHead(slot);
      this.rec[4 * slot + 2] = IN_STACK | LIR;
      this.lirCount++;
    } else {
      this.stack.pushHead(slot);
      this.qPush(slot, IN_STACK);
    }
  }

  evict(): number {
    if (this.qSize === 0) this.demoteBottom();
    const victim = this.qPop();
    const key = this.slotKeys[victim]!;
    if ((this.rec[4 * victim + 2]! & IN_STACK) !== 0) {
      // It stays in S as a non-resident HIR entry, in the same place.
      const g = this.newEntry();
      this.key[2 * g + 1] = key;
      this.ghosts.set(key, this.codeOf(g));
      this.stack.replace(victim, g);
    } else if (this.shared) this.ghosts.forget(key);
    this.rec[4 * victim + 2] = 0;
    this.prune();
    return victim;
  }

  remove(slot: number): void {
    const f = this.rec[4 * slot + 2]!;
    if ((f & LIR) !== 0) this.lirCount--;
    else this.qRemove(slot);
    if ((f & IN_STACK) !== 0) this.stack.remove(slot);
    this.rec[4 * slot + 2] = 0;
    this.prune();
  }

  /** Appends `slot` (not live in Q) to Q, with `bits` (IN_STACK or 0) as its other flags. */
  private qPush(slot: number, bits: number): void {
    if (this.qHead - this.qTail > this.qMask) this.qCompact();
    const pos = this.qHead++;
    this.qRing[pos & this.qMask] = slot;
    this.rec[4 * slot + 2] = bits | IN_Q | ((pos & Q_POS) << Q_SHIFT);
    this.qSize++;
  }

  /** Takes `slot` (live in Q) out of Q: its cell becomes dead. */
  private qRemove(slot: number): void {
    this.rec[4 * slot + 2] = this.rec[4 * slot + 2]! & (IN_STACK | LIR);
    this.qSize--;
  }

  /** Removes and returns the oldest live slot of Q (which must not be empty). */
  private qPop(): number {
    const ring = this.qRing;
    const rec = this.rec;
    for (;;) {
      invariant(this.qTail < this.qHead, "lirs-queue-empty", "LirsPolicy: no live slot in Q");
      const pos = this.qTail++;
      const s = ring[pos & this.qMask]!;
      const f = rec[4 * s + 2]!;
      if ((f & IN_Q) !== 0 && f >>> Q_SHIFT === (pos & Q_POS)) {
        rec[4 * s + 2] = f & IN_STACK;
        this.qSize--;
        return s;
      }
    }
  }

  /** Q's ring is full of cells: moves the live ones to consecutive cells, oldest first. */
  private qCompact(): void {
    const ring = this.qRing;
    const mask = this.qMask;
    const rec = this.rec;
    let w = this.qTail;
    for (let r = this.qTail; r < this.qHead; r++) {
      const s = ring[r & mask]!;
      const f = rec[4 * s + 2]!;
      if ((f & IN_Q) === 0 || f >>> Q_SHIFT !== (r & Q_POS)) continue;
      ring[w & mask] = s;
      rec[4 * s + 2] = (f & (IN_STACK | IN_Q)) | ((w & Q_POS) << Q_SHIFT);
      w++;
    }
    this.qHead = w;
  }

  /** Makes the resident HIR `slot` (now at the top of S) LIR, demoting if over the limit. */
  private promote(slot: number): void {
    this.rec[4 * slot + 2] = IN_STACK | LIR;
    this.lirCount++;
    if (this.lirCount > this.lirLimit) this.demoteBottom();
  }

  /** The LIR page at the bottom of S becomes resident HIR at the end of Q. */
  private demoteBottom(): void {
    this.prune();
    const b = this.stack.tail;
    if (b < 0) return;
    this.stack.remove(b);
    this.lirCount--;
    this.qPush(b, 0);
    this.prune();
  }

  /** Removes HIR entries from the bottom of S until the bottom is LIR. */
  private prune(): void {
    const s = this.stack;
    const c = this.capacity;
    const rec = this.rec;
    for (let e = s.tail; e >= 0; e = s.tail) {
      invariant(s.size > 0, "lirs-stack", "LirsPolicy: stack S is inconsistent");
      if (e < c) {
        if ((rec[4 * e + 2]! & LIR) !== 0) return;
        s.remove(e);
        rec[4 * e + 2] = rec[4 * e + 2]! & ~IN_STACK;
      } else {
        s.remove(e);
        this.ghosts.forget(this.key[2 * e + 1]!);
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
    return c + (seq & this.ringMask);
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
    if (--this.untilSweep === 0) this.sweep();
    if (this.ghostCount >= c) {
      // Forget the oldest non-resident entry: the first cell in use from the tail on (its
      // code, now outside the window, stays in the map until a sweep).
      const key = this.key;
      let seq = this.ringTail;
      let g = c + (seq & this.ringMask);
      while (Number.isNaN(key[2 * g + 1]!)) {
        invariant(++seq < this.ringHead, "lirs-ring-empty", "LirsPolicy: no live non-resident entry");
        g = c + (seq & this.ringMask);
      }
      this.stack.remove(g);
      this.ghosts.release(key[2 * g + 1]!, this.codeOf(g));
      this.freeCell(g);
      this.ringTail = seq + 1;
    }
    if (this.ringHead - this.ringTail > this.ringMask) this.compact();
    const g = c + (this.ringHead++ & this.ringMask);
    this.ghostCount++;
    return g;
  }

  /** Deletes the codes of expired entries from the map, before their numbers come round again. */
  private sweep(): void {
    const c = this.capacity;
    const tail = this.ringTail;
    const span = this.ringHead - tail;
    const mask = this.seqMask;
    this.ghosts.deleteNearWhere((v) => v >= c && ((v - c - tail) & mask) >= span);
    this.untilSweep = this.sweepEvery;
  }

  /** Marks ring cell `g` free (it has left S). */
  private freeCell(g: number): void {
    this.key[2 * g + 1] = Number.NaN;
    this.ghostCount--;
  }

  /** Moves the live entries to consecutive cells from the tail on, in creation order. */
  private compact(): void {
    const c = this.capacity;
    const mask = this.ringMask;
    const keyOf = this.key;
    let w = this.ringTail;
    for (let r = this.ringTail; r < this.ringHead; r++) {
      const from = c + (r & mask);
      const key = keyOf[2 * from + 1]!;
      if (Number.isNaN(key)) continue;
      if (r !== w) {
        const to = c + (w & mask);
        this.stack.replace(from, to);
        keyOf[2 * to + 1] = key;
        keyOf[2 * from + 1] = Number.NaN;
        this.ghosts.set(key, c + (w & this.seqMask));
      }
      w++;
    }
    this.ringHead = w;
  }
}
