import {
  DICT_MAXFREELIST,
  FLOAT_MAXFREELIST,
  LIST_MAXFREELIST,
  ObjectHeap,
  TRASHCAN_UNWIND_LEVEL,
  TUPLE_MAXFREELIST,
} from "./heap.js";
import { F_FINALIZED, F_WEAKREFED, isGcKind, Kind, NULL_REF, type ObjId } from "./space.js";

/** tp_dealloc and tp_clear for every object type, with weakref clearing and finalizers. */
export abstract class DeallocHeap extends ObjectHeap {
  /** tp_dealloc of an object whose refcount reached zero. */
  protected dealloc(o: ObjId): void {
    const s = this.space;
    const k = s.kind[o]!;
    const trash =
      k === Kind.TUPLE || k === Kind.LIST || k === Kind.DICT || k === Kind.SET || k === Kind.INSTANCE;
    if (trash && this.trashDepth >= TRASHCAN_UNWIND_LEVEL) {
      this.untrack(o);
      this.trashLater.push(o);
      if (this.sink !== null) this.sink.emit({ kind: "trashcan-defer", id: o });
      return;
    }
    this.trashDepth++;
    this.deallocBody(o, k);
    this.trashDepth--;
    if (this.trashDepth === 0) {
      while (this.trashLater.length > 0) {
        const next = this.trashLater.pop()!;
        this.trashDepth++;
        this.deallocBody(next, s.kind[next]!);
        this.trashDepth--;
      }
    }
  }

  protected deallocBody(o: ObjId, k: number): void {
    const s = this.space;
    this.untrack(o);
    if (k === Kind.INSTANCE && this.hasFinalizer(o) && (s.flags[o]! & F_FINALIZED) === 0) {
      if (this.finalizeFromDealloc(o)) return;
    }
    if (this.sink !== null)
      this.sink.emit({ kind: "dealloc", id: o, type: this.typeName(o), path: this.deathPath });
    if (k === Kind.WEAKREF) this.unlinkWeakref(o);
    else if ((s.flags[o]! & F_WEAKREFED) !== 0) this.clearWeakrefsOnDealloc(o);
    const base = this.pushChildren(o);
    const top = this.childTop;
    s.edgeLen[o] = 0;
    const cs = this.childStack;
    if (k === Kind.LIST || k === Kind.TUPLE) for (let i = top - 1; i >= base; i--) this.xdecref(cs[i]!);
    else for (let i = k === Kind.INSTANCE ? base + 1 : base; i < top; i++) this.xdecref(this.childStack[i]!);
    const cls = this.childStack[base]!;
    this.childTop = base;
    this.releaseMemory(o, k);
    // subtype_dealloc drops the reference to the class last, after freeing the instance.
    if (k === Kind.INSTANCE) this.decref(cls);
  }

  /** Copies `o`'s edges onto the child stack; returns where they start. */
  protected pushChildren(o: ObjId): number {
    const s = this.space;
    const n = s.edgeLen[o]!;
    const base = this.childTop;
    if (base + n > this.childStack.length) {
      const bigger = new Int32Array(Math.max(this.childStack.length * 2, base + n));
      bigger.set(this.childStack);
      this.childStack = bigger;
    }
    const st = s.edgeStart[o]!;
    const cs = this.childStack;
    const edges = s.edges;
    for (let i = 0; i < n; i++) cs[base + i] = edges[st + i]!;
    this.childTop = base + n;
    return base;
  }

  /**
   * PyObject_ClearWeakRefs on a refcount death: every weakref is cleared first, then the
   * callbacks run in list order, each weakref and callback held by a temporary reference.
   */
  protected clearWeakrefsOnDealloc(o: ObjId): void {
    const s = this.space;
    const pending = this.clearWeakrefsTo(o);
    const callbacks: ObjId[] = [];
    for (const wr of pending) {
      callbacks.push(s.edge(wr, 0));
      s.setEdge(wr, 0, NULL_REF);
      this.incref(wr);
    }
    pending.forEach((wr, i) => {
      this.runWeakrefCallback(wr, o, callbacks[i]!);
    });
    pending.forEach((wr, i) => {
      this.decref(wr);
      this.decref(callbacks[i]!);
    });
  }

  /**
   * PyObject_CallFinalizerFromDealloc: temporarily resurrects `o` to run `__del__`.
   * Returns true when `__del__` resurrected it (it then stays alive and tracked).
   */
  protected finalizeFromDealloc(o: ObjId): boolean {
    const s = this.space;
    s.refcnt[o] = 1;
    this.track(o);
    this.callFinalizer(o);
    s.refcnt[o]! -= 1;
    if (s.refcnt[o] === 0) {
      this.untrack(o);
      return false;
    }
    if (this.sink !== null) this.sink.emit({ kind: "resurrect", id: o });
    return true;
  }

  /** Returns the object's blocks (or parks them on a free list) and its id. */
  protected releaseMemory(o: ObjId, k: number): void {
    const s = this.space;
    if (s.bytes2[o]! > 0) this.pymalloc.free(s.addr2[o]!);
    const addr = s.addr[o]!;
    let freelist: number[] | undefined;
    if (k === Kind.LIST && this.freeLists.list.length < LIST_MAXFREELIST) freelist = this.freeLists.list;
    else if (k === Kind.DICT && this.freeLists.dict.length < DICT_MAXFREELIST) freelist = this.freeLists.dict;
    else if (k === Kind.FLOAT && this.freeLists.float.length < FLOAT_MAXFREELIST)
      freelist = this.freeLists.float;
    else if (k === Kind.TUPLE) {
      const n = (s.bytes[o]! - 40) / 8;
      const fl = this.tupleFreeLists[n];
      if (n > 0 && fl !== undefined && fl.length < TUPLE_MAXFREELIST) freelist = fl;
    }
    if (freelist !== undefined) freelist.push(addr);
    else {
      this.pymalloc.free(addr);
      if (isGcKind(k)) this.gc.onGcFree();
    }
    if (this.sink !== null)
      this.sink.emit({ kind: "py-free", id: o, addr, freelist: freelist !== undefined });
    if (k === Kind.CLASS || k === Kind.FUNCTION) {
      this.classes.delete(o);
      this.ownKeys.delete(o);
      this.bodies.delete(o);
    } else if (k === Kind.DICT || k === Kind.SET) this.tableIndex.delete(o);
    s.freeId(o);
  }

  /** Clears weakref `wr` (_PyWeakref_ClearRef): it leaves its referent's list and reads None. */
  unlinkWeakref(wr: ObjId): void {
    const s = this.space;
    const t = s.aux[wr]!;
    if (t !== NULL_REF) {
      const list = this.weakrefs.get(t);
      if (list !== undefined) {
        const i = list.indexOf(wr);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) this.weakrefs.delete(t);
      }
      s.aux[wr] = NULL_REF;
    }
  }

  /** Clears every weakref to `o` and returns those whose callbacks must run (gc decides which). */
  clearWeakrefsTo(o: ObjId): ObjId[] {
    const list = this.weakrefs.get(o);
    if (list === undefined) return [];
    this.weakrefs.delete(o);
    const withCallback: ObjId[] = [];
    for (const wr of list) {
      this.space.aux[wr] = NULL_REF;
      if (this.space.edgeLen[wr]! > 0 && this.space.edge(wr, 0) !== NULL_REF) withCallback.push(wr);
    }
    return withCallback;
  }

  /** Runs a weakref callback (`cb`, default the weakref's own) with the weakref as argument. */
  runWeakrefCallback(wr: ObjId, referent: ObjId, cb: ObjId = this.space.edge(wr, 0)): void {
    if (this.sink !== null)
      this.sink.emit({ kind: "weakref-callback", weakref: wr, referent, path: this.deathPath });
    this.runUnraisable(`<function ${String(this.space.value[cb] ?? "?")}>`, () => this.call(cb, [wr]));
  }

  /** The weakrefs currently pointing at `o`, in CPython's list order. */
  weakrefsTo(o: ObjId): readonly ObjId[] {
    return this.weakrefs.get(o) ?? [];
  }

  /**
   * PyObject_CallFinalizer: runs `__del__` unless the object was already finalized, then
   * marks it finalized (PEP 442: at most once per object).
   */
  callFinalizer(o: ObjId): void {
    const s = this.space;
    if ((s.flags[o]! & F_FINALIZED) !== 0 || !this.hasFinalizer(o)) return;
    this.runDel(o);
    s.flags[o]! |= F_FINALIZED;
  }

  /** tp_clear, used by the collector to break cycles. Returns false for types without one (tuple). */
  tpClear(o: ObjId): boolean {
    const s = this.space;
    const k = s.kind[o]!;
    if (k === Kind.TUPLE) return false;
    if (k === Kind.WEAKREF) this.unlinkWeakref(o);
    // An instance keeps its class (edge 0); subtype_clear drops only slots and attributes.
    const first = k === Kind.INSTANCE ? 1 : 0;
    const n = s.edgeLen[o]!;
    const base = this.pushChildren(o);
    const top = this.childTop;
    if (first === 1) for (let i = 1; i < n; i++) s.setEdge(o, i, NULL_REF);
    else s.edgeLen[o] = 0;
    if (k === Kind.LIST) this.resizeListBuffer(o, 0);
    if (k === Kind.DICT) this.dictReset(o);
    if (k === Kind.SET) this.setReset(o);
    if (k === Kind.LIST) for (let i = top - 1; i >= base; i--) this.xdecref(this.childStack[i]!);
    else for (let i = base + first; i < top; i++) this.xdecref(this.childStack[i]!);
    this.childTop = base;
    return true;
  }

  /** Empties the free lists (a full collection does this, as clear_freelists in CPython). */
  clearFreeLists(): void {
    for (const a of [this.freeLists.list, this.freeLists.dict, this.freeLists.float]) {
      for (const addr of a) this.pymalloc.free(addr);
      a.length = 0;
    }
    for (const fl of this.tupleFreeLists) {
      for (const addr of fl) this.pymalloc.free(addr);
      fl.length = 0;
    }
  }
}
