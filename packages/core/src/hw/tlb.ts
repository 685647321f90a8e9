/**
 * The translation lookaside buffer: `entries` slots in sets of `ways` (ways = entries is
 * fully associative), LRU, FIFO or random replacement within a set, entries tagged with an
 * ASID or flushed on every address-space switch, and global entries that survive switches.
 *
 * Storage is a struct of typed arrays indexed by slot (slot = set * ways + way). A lookup
 * scans the ways of the page's set, as the hardware compares them in parallel; when a set
 * has more than `SCAN_WAYS` ways (a large fully associative TLB) an open-addressing hash
 * index over (vpn, asid) finds the entry instead, so a lookup stays O(1).
 */
import { invariant } from "../base/errors.js";
import type { EventSink } from "../base/events.js";
import { FastRng } from "../base/rng.js";
import { type Asid, asAsid, asPfn, asVpn } from "../base/units.js";
import type { FlushScope, HwEvent } from "./events.js";
import { PTE_GLOBAL } from "./pte.js";

export type TlbPolicy = "lru" | "fifo" | "random";
export const TLB_POLICIES: readonly TlbPolicy[] = ["lru", "fifo", "random"];
/** "tagged": entries carry the ASID; "flush": every switch flushes the non-global entries. */
export type AsidMode = "tagged" | "flush";

export interface TlbConfig {
  /** Number of entries (a power of two times `ways`). */
  readonly entries: number;
  /** Ways per set; default `entries` (fully associative). */
  readonly ways?: number;
  /** Replacement within a set; default "lru". */
  readonly policy?: TlbPolicy;
  /** Default "tagged". */
  readonly asidMode?: AsidMode;
  /** Seed of the random policy's generator; default 1. */
  readonly seed?: number;
}

const CLOCK_LIMIT = 2 ** 30;
/** Sets with more ways than this are searched through the hash index. */
export const SCAN_WAYS = 8;
/** The tag that global entries carry instead of an ASID. */
const GLOBAL_TAG = -1;
/** Returned by `lookup` when no entry matches. */
export const TLB_MISS = -1;

/** Null when the configuration is usable, else a sentence saying what is wrong. */
export function checkTlbConfig(c: TlbConfig): string | null {
  const ways = c.ways ?? c.entries;
  if (!Number.isInteger(c.entries) || c.entries < 1 || c.entries > 65536)
    return `a TLB has 1 to 65536 entries, not ${c.entries}`;
  if (!Number.isInteger(ways) || ways < 1 || c.entries % ways !== 0)
    return `${ways} ways do not divide ${c.entries} TLB entries into whole sets`;
  const sets = c.entries / ways;
  if ((sets & (sets - 1)) !== 0)
    return `${c.entries} entries in ${ways} ways make ${sets} sets, not a power of two`;
  if (c.policy !== undefined && !TLB_POLICIES.includes(c.policy))
    return `unknown TLB replacement "${c.policy}"; expected lru, fifo or random`;
  if (c.asidMode !== undefined && c.asidMode !== "tagged" && c.asidMode !== "flush")
    return `unknown ASID mode "${c.asidMode}"; expected tagged or flush`;
  return null;
}

/** Everything a TLB holds, for snapshots. */
export interface TlbState {
  readonly vpn: Float64Array;
  readonly tag: Int32Array;
  readonly pfn: Int32Array;
  readonly flags: Int32Array;
  readonly stamp: Int32Array;
  readonly index: Int32Array;
  readonly scalars: readonly number[];
  readonly rng: readonly number[];
}

export class Tlb {
  readonly entries: number;
  readonly ways: number;
  readonly sets: number;
  readonly policy: TlbPolicy;
  readonly asidMode: AsidMode;
  /** Per slot: virtual page number (NaN when the slot is empty). */
  readonly vpn: Float64Array;
  /** Per slot: ASID, or the global tag. */
  readonly tag: Int32Array;
  /** Per slot: frame number. */
  readonly pfn: Int32Array;
  /** Per slot: generic PTE flags as cached (0 = empty slot). */
  readonly flags: Int32Array;
  /** Per slot: last use (LRU) or fill time (FIFO), a logical clock kept below 2^30. */
  readonly stamp: Int32Array;
  /** Hash index (only when `indexed`): slot + 1, or 0 for an empty bucket. */
  private readonly index: Int32Array;
  private readonly mask: number;
  private readonly indexed: boolean;
  private readonly setMask: number;
  private readonly lru: boolean;
  private readonly random: boolean;
  private readonly rng: FastRng;
  private clock = 0;
  /** Number of valid entries. */
  private valid = 0;
  private globals = 0;
  private current = 0;
  sink: EventSink<HwEvent> | null = null;

  hits = 0;
  misses = 0;
  /** Flush operations (full, non-global, per-ASID); invlpg counts in `invalidations`. */
  flushes = 0;
  /** Valid entries replaced by a fill. */
  evictions = 0;
  invalidations = 0;

  /** Precondition: `checkTlbConfig(config)` is null (checked, throws SimError). */
  constructor(config: TlbConfig) {
    const problem = checkTlbConfig(config);
    invariant(problem === null, "hw.tlb", `Tlb: ${problem}`);
    this.entries = config.entries;
    this.ways = config.ways ?? config.entries;
    this.sets = this.entries / this.ways;
    this.policy = config.policy ?? "lru";
    this.asidMode = config.asidMode ?? "tagged";
    this.rng = new FastRng(config.seed ?? 1);
    const n = this.entries;
    // An empty slot's vpn is NaN, which equals nothing, so lookups need not test validity.
    this.vpn = new Float64Array(n).fill(Number.NaN);
    this.tag = new Int32Array(n);
    this.pfn = new Int32Array(n);
    this.flags = new Int32Array(n);
    this.stamp = new Int32Array(n);
    this.lru = this.policy === "lru";
    this.random = this.policy === "random";
    this.indexed = this.ways > SCAN_WAYS;
    this.setMask = this.sets - 1;
    let size = 16;
    while (this.indexed && size < n * 4) size *= 2;
    this.index = new Int32Array(this.indexed ? size : 0);
    this.mask = size - 1;
  }

  private home(vpn: number, tag: number): number {
    return (Math.imul((vpn | 0) ^ Math.imul(tag, 0x27d4eb2d), 0x9e3779b1) >>> 7) & this.mask;
  }

  /** The slot holding exactly (vpn, tag), or TLB_MISS. */
  private probe(vpn: number, tag: number): number {
    if (!this.indexed) {
      const base = (vpn & this.setMask) * this.ways;
      for (let s = base, end = base + this.ways; s < end; s++)
        if (this.vpn[s] === vpn && this.tag[s] === tag) return s;
      return TLB_MISS;
    }
    const index = this.index;
    const mask = this.mask;
    for (let i = this.home(vpn, tag); ; i = (i + 1) & mask) {
      const e = index[i]!;
      if (e === 0) return TLB_MISS;
      const slot = e - 1;
      if (this.vpn[slot] === vpn && this.tag[slot] === tag) return slot;
    }
  }

  /**
   * The slot translating (vpn, asid), a global entry for vpn included, or `TLB_MISS`.
   * No side effects: counters and replacement state are the caller's (`touch`).
   */
  lookup(vpn: number, asid: number): number {
    if (!this.indexed) {
      const base = (vpn & this.setMask) * this.ways;
      for (let s = base, end = base + this.ways; s < end; s++) {
        if (this.vpn[s] === vpn) {
          const tag = this.tag[s];
          if (tag === asid || tag === GLOBAL_TAG) return s;
        }
      }
      return TLB_MISS;
    }
    const slot = this.probe(vpn, asid);
    if (slot !== TLB_MISS || this.globals === 0) return slot;
    return this.probe(vpn, GLOBAL_TAG);
  }

  /** Records a use of `slot` for LRU. */
  touch(slot: number): void {
    if (this.lru) this.stamp[slot] = this.tick();
  }

  /** The next stamp. The clock stays a small integer: near 2^30 it is renumbered, keeping the order. */
  private tick(): number {
    if (this.clock >= CLOCK_LIMIT) this.renumber();
    return ++this.clock;
  }

  private renumber(): void {
    const order = Array.from(this.stamp.keys()).sort((a, b) => this.stamp[a]! - this.stamp[b]!);
    order.forEach((slot, rank) => {
      this.stamp[slot] = rank + 1;
    });
    this.clock = order.length;
  }

  /** The ASID the TLB currently serves (after the last `switchAsid`). */
  get currentAsid(): Asid {
    return asAsid(this.current);
  }

  /**
   * An address-space switch: in "flush" mode drops all non-global entries when the ASID
   * changes (or always, with `force`: the MMU forces it when the page-table root changes).
   */
  switchAsid(asid: number, force = false): void {
    if (asid === this.current && !force) return;
    this.current = asid;
    if (this.asidMode === "flush") this.flushNonGlobal();
  }

  /**
   * Inserts a translation, evicting within the set of `vpn` if needed (an empty way
   * first, then by policy). An existing entry for the same (vpn, tag) is replaced in place.
   * Entries with PTE_GLOBAL are tagged global. Returns the slot.
   */
  fill(vpn: number, asid: number, pfn: number, flags: number): number {
    const tag = flags & PTE_GLOBAL ? GLOBAL_TAG : asid;
    const slot = this.probe(vpn, tag);
    return slot === TLB_MISS ? this.insert(vpn, asid, pfn, flags) : this.refill(slot, asid, pfn, flags);
  }

  /**
   * `fill` for a translation known to be absent (the MMU just missed on it): skips the
   * search. Precondition: `lookup(vpn, asid)` is TLB_MISS.
   */
  insert(vpn: number, asid: number, pfn: number, flags: number): number {
    const tag = flags & PTE_GLOBAL ? GLOBAL_TAG : asid;
    const slot = this.victim(vpn);
    if (this.flags[slot] !== 0) {
      // Evict in place: the slot stays valid, only its translation changes.
      this.evictions++;
      if (this.sink) this.emitEvict(slot);
      if (this.indexed) this.unindex(slot);
      if (this.tag[slot] === GLOBAL_TAG) this.globals--;
    } else this.valid++;
    this.vpn[slot] = vpn;
    this.tag[slot] = tag;
    if (this.indexed) this.insertIndex(slot);
    if (tag === GLOBAL_TAG) this.globals++;
    return this.refill(slot, asid, pfn, flags);
  }

  private refill(slot: number, asid: number, pfn: number, flags: number): number {
    this.pfn[slot] = pfn;
    this.flags[slot] = flags;
    this.stamp[slot] = this.tick();
    if (this.sink)
      this.sink.emit({
        kind: "tlb-fill",
        asid: asAsid(asid),
        vpn: asVpn(this.vpn[slot]!),
        pfn: asPfn(pfn),
        flags,
        slot,
        global: this.tag[slot] === GLOBAL_TAG,
      });
    return slot;
  }

  /** Updates the cached flags of a slot (e.g. after the MMU set the dirty bit). */
  setFlags(slot: number, flags: number): void {
    this.flags[slot] = flags;
  }

  private victim(vpn: number): number {
    const base = (vpn & this.setMask) * this.ways;
    const end = base + this.ways;
    if (this.valid < this.entries) for (let s = base; s < end; s++) if (this.flags[s] === 0) return s;
    if (this.random) return base + this.rng.below(this.ways);
    // The oldest stamp, without data-dependent branches (stamps are below 2^30).
    const stamp = this.stamp;
    let best = base;
    let oldest = stamp[base]!;
    for (let s = base + 1; s < end; s++) {
      const v = stamp[s]!;
      const older = (v - oldest) >> 31;
      best = (s & older) | (best & ~older);
      oldest = (v & older) | (oldest & ~older);
    }
    return best;
  }

  private insertIndex(slot: number): void {
    const index = this.index;
    let i = this.home(this.vpn[slot]!, this.tag[slot]!);
    while (index[i] !== 0) i = (i + 1) & this.mask;
    index[i] = slot + 1;
  }

  /** Empties `slot` and deletes it from the hash index (backward-shift deletion). */
  private remove(slot: number): void {
    if (this.indexed) this.unindex(slot);
    if (this.tag[slot] === GLOBAL_TAG) this.globals--;
    this.flags[slot] = 0;
    this.vpn[slot] = Number.NaN;
    this.valid--;
  }

  private unindex(slot: number): void {
    const index = this.index;
    const mask = this.mask;
    let i = this.home(this.vpn[slot]!, this.tag[slot]!);
    while (index[i] !== slot + 1) i = (i + 1) & mask;
    for (let j = (i + 1) & mask; index[j] !== 0; j = (j + 1) & mask) {
      const s = index[j]! - 1;
      const k = this.home(this.vpn[s]!, this.tag[s]!);
      // Move j back to the hole at i unless its home lies cyclically in (i, j].
      const inRange = i <= j ? i < k && k <= j : i < k || k <= j;
      if (!inRange) {
        index[i] = index[j]!;
        i = j;
      }
    }
    index[i] = 0;
  }

  private emitEvict(slot: number): void {
    if (!this.sink) return;
    const tag = this.tag[slot]!;
    this.sink.emit({
      kind: "tlb-evict",
      asid: asAsid(tag === GLOBAL_TAG ? this.current : tag),
      vpn: asVpn(this.vpn[slot]!),
      pfn: asPfn(this.pfn[slot]!),
      slot,
      global: tag === GLOBAL_TAG,
    });
  }

  private removeWhere(pred: (slot: number) => boolean): number {
    let n = 0;
    for (let s = 0; s < this.entries; s++) {
      if (this.flags[s] !== 0 && pred(s)) {
        this.remove(s);
        n++;
      }
    }
    return n;
  }

  private emitFlush(scope: FlushScope, asid: number | null, vpn: number | null, entries: number): void {
    if (this.sink)
      this.sink.emit({
        kind: "tlb-flush",
        scope,
        asid: asid === null ? null : asAsid(asid),
        vpn: vpn === null ? null : asVpn(vpn),
        entries,
      });
  }

  /**
   * invlpg: drops the translation of `vpn` for `asid` and any global one for `vpn`.
   * Returns the number of entries removed (0, 1 or 2).
   */
  invlpg(asid: number, vpn: number): number {
    let n = 0;
    for (const tag of [asid, GLOBAL_TAG]) {
      const slot = this.probe(vpn, tag);
      if (slot !== TLB_MISS) {
        this.remove(slot);
        n++;
      }
    }
    this.invalidations++;
    this.emitFlush("page", asid, vpn, n);
    return n;
  }

  /** Drops every entry, global ones included. Returns the number removed. */
  flushAll(): number {
    const n = this.removeWhere(() => true);
    this.flushes++;
    this.emitFlush("all", null, null, n);
    return n;
  }

  /** Drops every non-global entry (a CR3 reload). Returns the number removed. */
  flushNonGlobal(): number {
    const n = this.removeWhere((s) => this.tag[s] !== GLOBAL_TAG);
    this.flushes++;
    this.emitFlush("non-global", null, null, n);
    return n;
  }

  /** Drops the non-global entries of one ASID (INVPCID single-context). Returns the number removed. */
  flushAsid(asid: number): number {
    const n = this.removeWhere((s) => this.tag[s] === asid);
    this.flushes++;
    this.emitFlush("asid", asid, null, n);
    return n;
  }

  /** Number of valid entries. */
  occupancy(): number {
    let n = 0;
    for (let s = 0; s < this.entries; s++) if (this.flags[s] !== 0) n++;
    return n;
  }

  /** True when `slot` holds a global entry. */
  isGlobal(slot: number): boolean {
    return this.tag[slot] === GLOBAL_TAG;
  }

  /** Zeroes the counters (hits, misses, flushes, evictions, invalidations). */
  resetCounters(): void {
    this.hits = this.misses = this.flushes = this.evictions = this.invalidations = 0;
  }

  save(): TlbState {
    return {
      vpn: this.vpn.slice(),
      tag: this.tag.slice(),
      pfn: this.pfn.slice(),
      flags: this.flags.slice(),
      stamp: this.stamp.slice(),
      index: this.index.slice(),
      scalars: [
        this.clock,
        this.globals,
        this.current,
        this.hits,
        this.misses,
        this.flushes,
        this.evictions,
        this.invalidations,
      ],
      rng: this.rng.save(),
    };
  }

  load(s: TlbState): void {
    invariant(
      s.vpn.length === this.entries && s.index.length === this.index.length,
      "hw.restore",
      "Tlb.load: shape differs",
    );
    this.vpn.set(s.vpn);
    this.tag.set(s.tag);
    this.pfn.set(s.pfn);
    this.flags.set(s.flags);
    this.stamp.set(s.stamp);
    this.index.set(s.index);
    const v = s.scalars;
    [
      this.clock,
      this.globals,
      this.current,
      this.hits,
      this.misses,
      this.flushes,
      this.evictions,
      this.invalidations,
    ] = [v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!, v[6]!, v[7]!];
    this.rng.load(s.rng);
    this.valid = this.occupancy();
  }
}
