/**
 * The cyclic garbage collector as CPython 3.11 runs it (Modules/gcmodule.c, and the
 * "Garbage collector design" notes in CPython's devguide): three generations with
 * thresholds (700, 10, 10); generation 0's count is GC-object allocations minus
 * deallocations, an older generation's count is the number of collections of the one
 * below; a full collection only when long_lived_pending ≥ long_lived_total / 4.
 *
 * One collection (collectMain):
 *   1. merge the younger generations into the one collected;
 *   2. update_refs: gc_refs = ob_refcnt for each object in it;
 *   3. subtract_refs: for each reference between two of those objects, gc_refs -= 1, so
 *      gc_refs counts references from outside the generation;
 *   4. move_unreachable: objects with gc_refs > 0 are reachable, and so is everything they
 *      reach; the rest move, tentatively, to the unreachable list;
 *   5. untrack atomic tuples; promote the survivors; in full collections untrack dicts;
 *   6. legacy finalizers (tp_del) and what they reach go to gc.garbage, uncollectable;
 *   7. weakrefs to unreachable objects are cleared; callbacks run only for weakrefs that
 *      are themselves reachable;
 *   8. PEP 442: each unreachable object's __del__ runs once, with the cycle intact;
 *   9. the unreachable set is analysed again; objects a finalizer resurrected survive;
 *  10. tp_clear on the rest breaks the cycles, and refcounting frees them.
 * `collect()` returns the number found unreachable (after resurrection) plus uncollectable.
 */

import type { DeallocHeap } from "./dealloc.js";
import { PyException } from "./errors.js";
import type { GcPhase } from "./events.js";
import type { ObjId } from "./space.js";
import {
  F_FINALIZED,
  F_TRACKED,
  F_WEAKREFED,
  GC_REACHABLE,
  GC_TENTATIVELY_UNREACHABLE,
  GEN0,
  GEN1,
  GEN2,
  isGcKind,
  KIND_NAMES,
  Kind,
  L_FINALIZERS,
  L_SEEN,
  L_STILL,
  L_UNREACHABLE,
  L_WRCB,
  NULL_REF,
  PERMANENT,
} from "./space.js";

/** Generations 0, 1, 2 (the permanent generation of gc.freeze() is apart). */
export const NUM_GENERATIONS = 3;
/** gc.DEBUG_SAVEALL: keep every unreachable object in gc.garbage instead of freeing it. */
export const DEBUG_SAVEALL = 1 << 5;
/** gc.set_debug flags (only DEBUG_SAVEALL changes what the collector does here). */
export const DEBUG_STATS = 1 << 0;
export const DEBUG_COLLECTABLE = 1 << 1;
export const DEBUG_UNCOLLECTABLE = 1 << 2;

/** One row of `gc.get_stats()`. */
export interface GenerationStats {
  collections: number;
  collected: number;
  uncollectable: number;
}

/** The info dict passed to `gc.callbacks`. */
export interface GcCallbackInfo {
  readonly generation: number;
  readonly collected: number;
  readonly uncollectable: number;
}

/** An entry of `gc.callbacks`: called with "start" before and "stop" after each collection. */
export type GcCallback = (phase: "start" | "stop", info: GcCallbackInfo) => void;

/** Result of one collection, with its cost in logical work units (objects + references visited). */
export interface CollectResult {
  readonly generation: number;
  readonly collected: number;
  readonly uncollectable: number;
  readonly work: number;
}

/** The `gc` module of one runtime. */
export class CycleCollector {
  readonly threshold = [700, 10, 10];
  readonly count = [0, 0, 0];
  readonly stats: GenerationStats[] = [0, 1, 2].map(() => ({
    collections: 0,
    collected: 0,
    uncollectable: 0,
  }));
  enabled = true;
  collecting = false;
  debug = 0;
  longLivedTotal = 0;
  longLivedPending = 0;
  /** `gc.callbacks`. */
  readonly callbacks: GcCallback[] = [];
  /** Work units of the last collection. */
  lastWork = 0;
  private garbageList: ObjId = NULL_REF;
  private work = 0;

  constructor(private readonly rt: DeallocHeap) {}

  /** `gc.garbage`: a list object owned by the gc module (created on first use). */
  get garbage(): ObjId {
    if (this.garbageList === NULL_REF) this.garbageList = this.rt.newList();
    return this.garbageList;
  }

  // ---------------------------------------------------------------- the gc module API

  /** `gc.collect(generation=2)`: unreachable objects found plus uncollectable ones; 0 if a collection is running. */
  collect(generation = 2): number {
    if (generation < 0 || generation >= NUM_GENERATIONS)
      throw new PyException("ValueError", "invalid generation");
    if (this.collecting) return 0;
    this.collecting = true;
    try {
      const r = this.collectWithCallback(generation);
      return r.collected + r.uncollectable;
    } finally {
      this.collecting = false;
    }
  }

  /** `gc.collect` with the full result (counts and work units). */
  collectDetailed(generation = 2): CollectResult {
    this.collecting = true;
    try {
      return this.collectWithCallback(generation);
    } finally {
      this.collecting = false;
    }
  }

  getCount(): [number, number, number] {
    return [this.count[0]!, this.count[1]!, this.count[2]!];
  }

  getThreshold(): [number, number, number] {
    return [this.threshold[0]!, this.threshold[1]!, this.threshold[2]!];
  }

  /** `gc.set_threshold(t0[, t1[, t2]])`. t0 = 0 disables automatic collection. */
  setThreshold(t0: number, t1?: number, t2?: number): void {
    this.threshold[0] = t0;
    if (t1 !== undefined) this.threshold[1] = t1;
    if (t2 !== undefined) this.threshold[2] = t2;
  }

  enable(): void {
    this.enabled = true;
  }
  disable(): void {
    this.enabled = false;
  }
  isEnabled(): boolean {
    return this.enabled;
  }
  setDebug(flags: number): void {
    this.debug = flags;
  }
  getDebug(): number {
    return this.debug;
  }

  getStats(): GenerationStats[] {
    return this.stats.map((s) => ({ ...s }));
  }

  /** `gc.get_objects(generation=None)`: tracked objects of one generation or of all three. */
  getObjects(generation?: number): ObjId[] {
    const s = this.rt.space;
    if (generation !== undefined) return s.listToArray(generation);
    return [...s.listToArray(GEN0), ...s.listToArray(GEN1), ...s.listToArray(GEN2)];
  }

  /** `gc.get_referrers(*objs)`: tracked objects (all generations) that refer to any of `objs`. */
  getReferrers(...objs: ObjId[]): ObjId[] {
    const want = new Set(objs);
    const s = this.rt.space;
    return this.getObjects().filter((o) => {
      const st = s.edgeStart[o]!;
      for (let i = st; i < st + s.edgeLen[o]!; i++) if (want.has(s.edges[i]!)) return true;
      return false;
    });
  }

  /** `gc.get_referents(*objs)`: what the collectable objects among `objs` refer to (tp_traverse). */
  getReferents(...objs: ObjId[]): ObjId[] {
    const s = this.rt.space;
    return objs.flatMap((o) => {
      if (!isGcKind(s.kind[o]!)) return [];
      const refs = s.referents(o);
      // subtype_traverse visits slots and attributes first, the type last.
      if (s.kind[o] === Kind.INSTANCE) refs.push(refs.shift()!);
      return refs;
    });
  }

  isTracked(o: ObjId): boolean {
    return (this.rt.space.flags[o]! & F_TRACKED) !== 0;
  }

  isFinalized(o: ObjId): boolean {
    return (this.rt.space.flags[o]! & F_FINALIZED) !== 0;
  }

  /** `gc.freeze()`: every tracked object moves to the permanent generation, ignored by collections. */
  freeze(): void {
    const s = this.rt.space;
    for (let g = 0; g < NUM_GENERATIONS; g++) {
      s.listMerge(g, PERMANENT);
      this.count[0] = 0;
    }
  }

  /** `gc.unfreeze()`: the permanent generation goes back into the oldest one. */
  unfreeze(): void {
    this.rt.space.listMerge(PERMANENT, GEN2);
  }

  getFreezeCount(): number {
    return this.rt.space.listSize(PERMANENT);
  }

  // ---------------------------------------------------------------- allocation hooks

  /** _PyObject_GC_Link: one more GC allocation; may run an automatic collection first. */
  onGcAlloc(): void {
    this.count[0]!++;
    const t0 = this.threshold[0]!;
    if (this.count[0]! > t0 && this.enabled && t0 !== 0 && !this.collecting) {
      this.collecting = true;
      try {
        this.collectGenerations();
      } finally {
        this.collecting = false;
      }
    }
  }

  /** PyObject_GC_Del: one GC object freed (count never goes below zero). */
  onGcFree(): void {
    if (this.count[0]! > 0) this.count[0]!--;
  }

  /** gc_collect_generations: the oldest generation over its threshold, with the long-lived rule. */
  private collectGenerations(): void {
    for (let i = NUM_GENERATIONS - 1; i >= 0; i--) {
      if (this.count[i]! > this.threshold[i]!) {
        if (i === NUM_GENERATIONS - 1 && this.longLivedPending < Math.floor(this.longLivedTotal / 4))
          continue;
        this.collectWithCallback(i);
        break;
      }
    }
  }

  private collectWithCallback(generation: number): CollectResult {
    this.invokeCallbacks("start", generation, 0, 0);
    const r = this.collectMain(generation);
    this.invokeCallbacks("stop", generation, r.collected, r.uncollectable);
    return r;
  }

  private invokeCallbacks(
    phase: "start" | "stop",
    generation: number,
    collected: number,
    uncollectable: number,
  ): void {
    if (this.callbacks.length === 0) return;
    const info: GcCallbackInfo = { generation, collected, uncollectable };
    for (const cb of [...this.callbacks]) this.rt.runUnraisable("gc callback", () => cb(phase, info));
  }

  // ---------------------------------------------------------------- gc_collect_main

  private collectMain(generation: number): CollectResult {
    const rt = this.rt;
    const s = rt.space;
    const sink = rt.sink;
    this.work = 0;
    if (generation + 1 < NUM_GENERATIONS) this.count[generation + 1]!++;
    for (let i = 0; i <= generation; i++) this.count[i] = 0;
    for (let i = 0; i < generation; i++) s.listMerge(i, generation);
    const young = generation;
    const old = generation < NUM_GENERATIONS - 1 ? generation + 1 : generation;
    if (sink !== null) sink.emit({ kind: "gc-start", generation, objects: s.listSize(young) });

    s.listInit(L_UNREACHABLE);
    this.deduceUnreachable(young, L_UNREACHABLE);
    if (rt.trackedTuples > 0) this.untrackTuples(young);
    if (young !== old) {
      if (generation === NUM_GENERATIONS - 2) this.longLivedPending += s.listSize(young);
      if (sink !== null) sink.emit({ kind: "gc-promote", objects: s.listSize(young), to: old });
      s.listMerge(young, old);
    } else {
      if (rt.trackedDicts > 0) this.untrackDicts(young);
      this.longLivedPending = 0;
      this.longLivedTotal = s.listSize(young);
    }

    s.listInit(L_FINALIZERS);
    this.phase("legacy_finalizers");
    this.moveLegacyFinalizers(L_UNREACHABLE, L_FINALIZERS);
    this.moveLegacyFinalizerReachable(L_FINALIZERS);

    rt.deathPath = "gc";
    this.phase("handle_weakrefs");
    let m = this.handleWeakrefs(L_UNREACHABLE, old);
    this.phase("finalize_garbage");
    this.finalizeGarbage(L_UNREACHABLE);
    s.listInit(L_STILL);
    this.phase("resurrection_check");
    this.handleResurrectedObjects(L_UNREACHABLE, L_STILL, old);
    m += s.listSize(L_STILL);
    this.phase("delete_garbage");
    this.deleteGarbage(L_STILL, old);
    rt.deathPath = "refcount";

    const n = this.handleLegacyFinalizers(L_FINALIZERS, old);
    if (generation === NUM_GENERATIONS - 1) rt.clearFreeLists();
    const st = this.stats[generation]!;
    st.collections++;
    st.collected += m;
    st.uncollectable += n;
    this.lastWork = this.work;
    if (sink !== null)
      sink.emit({ kind: "gc-stop", generation, collected: m, uncollectable: n, work: this.work });
    return { generation, collected: m, uncollectable: n, work: this.work };
  }

  private phase(phase: GcPhase): void {
    if (this.rt.sink !== null) this.rt.sink.emit({ kind: "gc-phase", phase });
  }

  /** update_refs + subtract_refs + move_unreachable over `young`. */
  private deduceUnreachable(young: number, unreachable: number): void {
    this.phase("update_refs");
    this.updateRefs(young);
    this.phase("subtract_refs");
    this.subtractRefs(young);
    this.phase("move_unreachable");
    this.moveUnreachable(young, unreachable);
  }

  /** gc_refs = ob_refcnt, and mark each object as being collected. */
  private updateRefs(young: number): void {
    const s = this.rt.space;
    const sink = this.rt.sink;
    const next = s.gcNext;
    const refs = s.gcRefs;
    const rc = s.refcnt;
    let n = 0;
    for (let g = next[young]!; g !== young; g = next[g]!) {
      refs[g] = rc[g]!;
      n++;
      if (sink !== null) sink.emit({ kind: "gc-update-refs", id: g, gcRefs: rc[g]! });
    }
    this.work += n;
  }

  /** For every reference from one collected object to another: gc_refs -= 1. */
  private subtractRefs(young: number): void {
    const s = this.rt.space;
    const sink = this.rt.sink;
    const next = s.gcNext;
    const refs = s.gcRefs;
    const edges = s.edges;
    const start = s.edgeStart;
    const len = s.edgeLen;
    let w = 0;
    for (let g = next[young]!; g !== young; g = next[g]!) {
      const st = start[g]!;
      const end = st + len[g]!;
      w += end - st;
      for (let i = st; i < end; i++) {
        const t = edges[i]!;
        // Only counted objects have gc_refs > 0 (NULL slots read -1, others GC_REACHABLE).
        if (t >= 0 && refs[t]! > 0) {
          refs[t]!--;
          if (sink !== null) sink.emit({ kind: "gc-subtract", from: g, to: t, gcRefs: refs[t]! });
        }
      }
    }
    this.work += w;
  }

  /**
   * Scans `young` in order: an object with gc_refs > 0 is reachable; it marks what it refers
   * to (gc_refs 0 → 1, or back from the unreachable list to the tail of young) and stops
   * being "collecting". An object with gc_refs = 0 moves, tentatively, to `unreachable`.
   */
  private moveUnreachable(young: number, unreachable: number): void {
    const s = this.rt.space;
    const sink = this.rt.sink;
    const next = s.gcNext;
    const refs = s.gcRefs;
    const edges = s.edges;
    const start = s.edgeStart;
    const len = s.edgeLen;
    let w = 0;
    let g = next[young]!;
    while (g !== young) {
      if (refs[g]! > 0) {
        const st = start[g]!;
        const end = st + len[g]!;
        w += end - st + 1;
        refs[g] = GC_REACHABLE;
        for (let i = st; i < end; i++) {
          const t = edges[i]!;
          if (t < 0) continue;
          const r = refs[t]!;
          if (r === 0) refs[t] = 1;
          else if (r === GC_TENTATIVELY_UNREACHABLE) {
            s.listMove(t, young);
            refs[t] = 1;
            if (sink !== null) sink.emit({ kind: "gc-move-back", id: t, by: g });
          }
        }
        if (sink !== null) sink.emit({ kind: "gc-reachable", id: g });
        g = next[g]!;
      } else {
        w++;
        const after = next[g]!;
        s.listMove(g, unreachable);
        refs[g] = GC_TENTATIVELY_UNREACHABLE;
        if (sink !== null) sink.emit({ kind: "gc-tentatively-unreachable", id: g });
        g = after;
      }
    }
    this.work += w;
  }

  /** _PyTuple_MaybeUntrack over the survivors: a tuple holding nothing trackable leaves gc. */
  private untrackTuples(head: number): void {
    const rt = this.rt;
    const s = rt.space;
    let g = s.gcNext[head]!;
    while (g !== head) {
      const after = s.gcNext[g]!;
      if (s.kind[g] === Kind.TUPLE && this.tupleIsAtomic(g)) {
        rt.untrack(g);
        if (rt.sink !== null) rt.sink.emit({ kind: "gc-untrack", id: g, type: "tuple" });
      }
      g = after;
    }
  }

  private tupleIsAtomic(t: ObjId): boolean {
    const s = this.rt.space;
    const st = s.edgeStart[t]!;
    for (let i = st; i < st + s.edgeLen[t]!; i++) {
      const c = s.edges[i]!;
      if (c === NULL_REF || this.rt.mayBeTracked(c)) return false;
    }
    return true;
  }

  private untrackDicts(head: number): void {
    const rt = this.rt;
    const s = rt.space;
    let g = s.gcNext[head]!;
    while (g !== head) {
      const after = s.gcNext[g]!;
      if (s.kind[g] === Kind.DICT && rt.maybeUntrackDict(g) && rt.sink !== null) {
        rt.sink.emit({ kind: "gc-untrack", id: g, type: "dict" });
      }
      g = after;
    }
  }

  private moveLegacyFinalizers(unreachable: number, finalizers: number): void {
    const rt = this.rt;
    const s = rt.space;
    let g = s.gcNext[unreachable]!;
    while (g !== unreachable) {
      const after = s.gcNext[g]!;
      if (rt.hasLegacyFinalizer(g)) {
        s.gcRefs[g] = GC_REACHABLE;
        s.listMove(g, finalizers);
        if (rt.sink !== null) rt.sink.emit({ kind: "gc-legacy-finalizer", id: g });
      }
      g = after;
    }
  }

  /** Everything reachable from a legacy finalizer is uncollectable too. */
  private moveLegacyFinalizerReachable(finalizers: number): void {
    const s = this.rt.space;
    for (let g = s.gcNext[finalizers]!; g !== finalizers; g = s.gcNext[g]!) {
      const st = s.edgeStart[g]!;
      for (let i = st; i < st + s.edgeLen[g]!; i++) {
        const t = s.edges[i]!;
        if (t >= 0 && s.gcRefs[t] === GC_TENTATIVELY_UNREACHABLE) {
          s.gcRefs[t] = GC_REACHABLE;
          s.listMove(t, finalizers);
        }
      }
    }
  }

  /**
   * Clears every weakref to an unreachable object. Callbacks run only for weakrefs outside
   * the garbage (a weakref that is garbage itself must not expose it). Returns the number of
   * those reachable weakrefs that their callback's aftermath freed.
   */
  private handleWeakrefs(unreachable: number, old: number): number {
    const rt = this.rt;
    const s = rt.space;
    s.listInit(L_WRCB);
    let referentOf: Map<ObjId, ObjId> | undefined;
    for (let g = s.gcNext[unreachable]!; g !== unreachable; g = s.gcNext[g]!) {
      if (s.kind[g] === Kind.WEAKREF) rt.unlinkWeakref(g);
      if ((s.flags[g]! & F_WEAKREFED) === 0 || rt.weakrefsTo(g).length === 0) continue;
      for (const wr of rt.clearWeakrefsTo(g)) {
        if (rt.sink !== null) rt.sink.emit({ kind: "gc-weakref-cleared", weakref: wr, referent: g });
        if (s.gcRefs[wr] === GC_TENTATIVELY_UNREACHABLE) continue;
        rt.incref(wr);
        referentOf ??= new Map();
        referentOf.set(wr, g);
        s.listMove(wr, L_WRCB);
      }
    }
    let freed = 0;
    while (!s.listIsEmpty(L_WRCB)) {
      const wr = s.gcNext[L_WRCB]!;
      rt.runWeakrefCallback(wr, referentOf?.get(wr) ?? NULL_REF);
      rt.decref(wr);
      if (s.gcNext[L_WRCB] === wr) s.listMove(wr, old);
      else freed++;
    }
    return freed;
  }

  /** PEP 442: run each unreachable object's finalizer once, with every object still intact. */
  private finalizeGarbage(collectable: number): void {
    const rt = this.rt;
    const s = rt.space;
    s.listInit(L_SEEN);
    while (!s.listIsEmpty(collectable)) {
      const g = s.gcNext[collectable]!;
      s.listMove(g, L_SEEN);
      if ((s.flags[g]! & F_FINALIZED) === 0 && rt.hasFinalizer(g)) {
        if (rt.sink !== null) rt.sink.emit({ kind: "gc-finalize", id: g });
        s.flags[g]! |= F_FINALIZED;
        rt.incref(g);
        rt.runDel(g);
        rt.decref(g);
      }
    }
    s.listMerge(L_SEEN, collectable);
  }

  /** Recomputes reachability inside the unreachable set: resurrected objects go to `old`. */
  private handleResurrectedObjects(unreachable: number, still: number, old: number): void {
    const s = this.rt.space;
    this.deduceUnreachable(unreachable, still);
    if (this.rt.sink !== null) {
      for (let g = s.gcNext[unreachable]!; g !== unreachable; g = s.gcNext[g]!) {
        this.rt.sink.emit({ kind: "gc-resurrected", id: g });
      }
    }
    s.listMerge(unreachable, old);
  }

  /** tp_clear each object (or save it in gc.garbage under DEBUG_SAVEALL); survivors go to `old`. */
  private deleteGarbage(collectable: number, old: number): void {
    const rt = this.rt;
    const s = rt.space;
    while (!s.listIsEmpty(collectable)) {
      const g = s.gcNext[collectable]!;
      if ((this.debug & DEBUG_SAVEALL) !== 0) {
        if (rt.sink !== null) rt.sink.emit({ kind: "gc-save", id: g });
        rt.listAppend(this.garbage, g);
      } else {
        if (rt.sink !== null) rt.sink.emit({ kind: "gc-clear", id: g });
        rt.incref(g);
        rt.tpClear(g);
        rt.decref(g);
      }
      if (s.gcNext[collectable] === g) {
        s.gcRefs[g] = GC_REACHABLE;
        s.listMove(g, old);
      }
    }
  }

  /** Uncollectable objects (legacy finalizers and what they reach) are appended to gc.garbage. */
  private handleLegacyFinalizers(finalizers: number, old: number): number {
    const rt = this.rt;
    const s = rt.space;
    const objs = s.listToArray(finalizers);
    for (const o of objs) {
      if (rt.hasLegacyFinalizer(o) || (this.debug & DEBUG_SAVEALL) !== 0) rt.listAppend(this.garbage, o);
    }
    s.listMerge(finalizers, old);
    return objs.length;
  }
}

/** Type name of a kind (for event text). */
export const gcTypeName = (k: number): string => KIND_NAMES[k] ?? "?";
