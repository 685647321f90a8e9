/**
 * The object heap under the runtime: the object table, memory from pymalloc, reference
 * counting, tracking in the gc lists, and the helpers every object type shares. The
 * classes stack up: ObjectHeap (this file) → DeallocHeap (dealloc.ts: deallocation,
 * finalizers, weakref clearing) → ContainerHeap (containers.ts: tuple, list, dict, set) →
 * PyRuntime (runtime.ts: scalars, names, classes, instances, weakrefs, sizes).
 */
import type { EventSink } from "../base/events.js";
import { PyException } from "./errors.js";
import type { ManagedEvent } from "./events.js";
import type { CycleCollector } from "./gc.js";
import { hashKey } from "./keys.js";
import { FlatObjectMemory, type ObjectMemory } from "./memory.js";
import { Pymalloc } from "./pymalloc.js";
import type { PyRuntime } from "./runtime.js";
import { SIZEOF_NONE, sizeofInt } from "./sizes.js";
import {
  F_STATIC,
  F_TRACKED,
  GC_REACHABLE,
  GEN0,
  isGcKind,
  KIND_NAMES,
  Kind,
  NULL_REF,
  ObjectSpace,
  type ObjId,
} from "./space.js";

/** Native code run as a Python function body (weakref callbacks, `__del__`, gc callbacks). */
export type NativeBody = (rt: PyRuntime, args: readonly ObjId[]) => void;

/** A class statement. */
export interface ClassSpec {
  readonly name: string;
  /** `__slots__` names; absent means instances have a (3.11 managed) `__dict__`. */
  readonly slots?: readonly string[];
  /** With `__slots__`: whether `'__weakref__'` is one of them (plain classes always allow weakrefs). */
  readonly weakrefSlot?: boolean;
  /** `__del__`, a PEP 442 finalizer (tp_finalize): run once, with any cycle intact. */
  readonly del?: (rt: PyRuntime, self: ObjId) => void;
  /** A C-level `tp_del` (pre-PEP 442): cycles through such objects end in `gc.garbage`. */
  readonly legacyDel?: boolean;
}

/** A class object's spec and its shared attribute keys. */
export interface ClassInfo {
  readonly spec: ClassSpec;
  /** Attribute name → edge index in instances (edge 0 is the class itself). */
  readonly keys: Map<string, number>;
}

/**
 * Where an exception raised by `__del__`, a weakref callback or a gc callback goes: CPython
 * cannot raise it anywhere, so it prints "Exception ignored in: …" (PyErr_WriteUnraisable).
 */
export type UnraisableHook = (where: string, error: PyException) => void;

/** How to build a runtime: where memory comes from, the event sink, table size. */
export interface RuntimeOptions {
  /** Receives exceptions raised by finalizers and callbacks (default: kept in `unraisable`). */
  readonly unraisableHook?: UnraisableHook;
  readonly memory?: ObjectMemory;
  readonly sink?: EventSink<ManagedEvent>;
  /** Initial object-table capacity. */
  readonly capacity?: number;
}

/** CPython 3.11 limits: trashcan nesting, free-list lengths (listobject.c, dictobject.c, floatobject.c, tupleobject.c). */
export const TRASHCAN_UNWIND_LEVEL = 50;
export const LIST_MAXFREELIST = 80;
export const DICT_MAXFREELIST = 80;
export const FLOAT_MAXFREELIST = 100;
export const TUPLE_MAXSAVESIZE = 20;
export const TUPLE_MAXFREELIST = 2000;
/** Where statically allocated objects (None, bools, small ints) live: the interpreter's data segment. */
export const STATIC_BASE = 0x555555a00000;
/** Dict `count` bits: bit 30 marks a str-only key table, the rest is ma_used. */
export const UNICODE_KEYS = 1 << 30;
/** Instance `aux` bits: its class has `__del__` / a legacy tp_del (cached to skip a Map lookup). */
export const INST_HAS_DEL = 1;
export const INST_LEGACY_DEL = 2;
/** Instance `aux` bit: its `__dict__` was materialized (edge 1 is the dict, attributes live there). */
export const INST_DICT = 4;
/** Dict `count` bit: a split table over a class's shared keys (an instance's materialized `__dict__`). */
export const SPLIT_DICT = 1 << 29;
export const USED_MASK = SPLIT_DICT - 1;

/** The shared state and primitives of one runtime's heap. */
export abstract class ObjectHeap {
  readonly space: ObjectSpace;
  readonly pymalloc: Pymalloc;
  readonly memory: ObjectMemory;
  abstract readonly gc: CycleCollector;
  sink: EventSink<ManagedEvent> | null;
  /** Tracked tuples and dicts: when there are none, the collector skips its untracking passes. */
  trackedTuples = 0;
  trackedDicts = 0;
  /** Exceptions raised by finalizers and callbacks, as "where: Type: message" (when no hook is set). */
  readonly unraisable: string[] = [];
  protected readonly unraisableHook: UnraisableHook | undefined;
  /** Global names (module namespace); each holds one reference. */
  readonly names = new Map<string, ObjId>();
  readonly None: ObjId;
  readonly True: ObjId;
  readonly False: ObjId;
  /** How the objects dying right now die: by refcount or inside the collector. */
  deathPath: "refcount" | "gc" = "refcount";
  protected readonly classes = new Map<ObjId, ClassInfo>();
  protected readonly ownKeys = new Map<ObjId, Map<string, number>>();
  protected readonly tableIndex = new Map<ObjId, Map<string, number>>();
  protected readonly weakrefs = new Map<ObjId, ObjId[]>();
  protected readonly bodies = new Map<ObjId, NativeBody>();
  protected readonly smallInts: ObjId[] = [];
  protected staticTop = STATIC_BASE;
  protected readonly freeLists = { list: [] as number[], dict: [] as number[], float: [] as number[] };
  protected readonly tupleFreeLists: number[][] = Array.from({ length: TUPLE_MAXSAVESIZE }, () => []);
  protected trashDepth = 0;
  /** Children of objects being deallocated (a stack, so nested deallocations share it). */
  protected childStack = new Int32Array(1024);
  protected childTop = 0;
  protected readonly trashLater: ObjId[] = [];

  constructor(opts: RuntimeOptions = {}) {
    this.space = new ObjectSpace(opts.capacity ?? 1024);
    this.memory = opts.memory ?? new FlatObjectMemory();
    this.pymalloc = new Pymalloc(this.memory);
    this.sink = opts.sink ?? null;
    this.unraisableHook = opts.unraisableHook;
    this.None = this.newStatic(Kind.NONE, undefined, SIZEOF_NONE);
    this.False = this.newStatic(Kind.BOOL, 0n, 28);
    this.True = this.newStatic(Kind.BOOL, 1n, 28);
    for (let v = -5; v <= 256; v++)
      this.smallInts.push(this.newStatic(Kind.INT, BigInt(v), sizeofInt(BigInt(v))));
  }

  /** Py_INCREF. */
  incref(o: ObjId): void {
    const r = ++this.space.refcnt[o]!;
    if (this.sink !== null) this.sink.emit({ kind: "incref", id: o, refcnt: r });
  }

  /** Py_DECREF: at zero the object is deallocated at once (the cascade may free many). */
  decref(o: ObjId): void {
    const s = this.space;
    const r = --s.refcnt[o]!;
    if (this.sink !== null) this.sink.emit({ kind: "decref", id: o, refcnt: r });
    if (r === 0 && (s.flags[o]! & F_STATIC) === 0) this.dealloc(o);
  }

  /** Py_XDECREF: decref unless the slot is NULL. */
  xdecref(o: ObjId): void {
    if (o !== NULL_REF) this.decref(o);
  }

  /** `type(o).__name__`. */
  typeName(o: ObjId): string {
    const k = this.space.kind[o]!;
    if (k === Kind.INSTANCE) return this.classInfo(this.space.edge(o, 0)).spec.name;
    return KIND_NAMES[k] ?? "?";
  }

  /** The current value of a scalar object (int → bigint, float → number, str/bytes → string). */
  valueOf(o: ObjId): bigint | number | string | undefined {
    return this.space.value[o];
  }

  classInfo(cls: ObjId): ClassInfo {
    const info = this.classes.get(cls);
    if (info === undefined) throw new PyException("TypeError", `object ${cls} is not a class`);
    return info;
  }

  hasFinalizer(o: ObjId): boolean {
    return (
      this.space.kind[o] === Kind.INSTANCE && this.classInfo(this.space.edge(o, 0)).spec.del !== undefined
    );
  }

  hasLegacyFinalizer(o: ObjId): boolean {
    return (
      this.space.kind[o] === Kind.INSTANCE && this.classInfo(this.space.edge(o, 0)).spec.legacyDel === true
    );
  }

  /** PyObject_GC_Track: appends to generation 0. */
  track(o: ObjId): void {
    const s = this.space;
    if ((s.flags[o]! & F_TRACKED) !== 0) return;
    s.flags[o]! |= F_TRACKED;
    s.listAppend(o, GEN0);
    const k = s.kind[o];
    if (k === Kind.TUPLE) this.trackedTuples++;
    else if (k === Kind.DICT) this.trackedDicts++;
  }

  /** PyObject_GC_UnTrack. */
  untrack(o: ObjId): void {
    const s = this.space;
    if ((s.flags[o]! & F_TRACKED) === 0) return;
    s.listRemove(o);
    s.flags[o]! &= ~F_TRACKED;
    s.gcRefs[o] = GC_REACHABLE;
    const k = s.kind[o];
    if (k === Kind.TUPLE) this.trackedTuples--;
    else if (k === Kind.DICT) this.trackedDicts--;
  }

  /** _PyObject_GC_MAY_BE_TRACKED: a container, except a tuple that is already untracked. */
  mayBeTracked(o: ObjId): boolean {
    const s = this.space;
    const k = s.kind[o]!;
    if (!isGcKind(k)) return false;
    if (k === Kind.TUPLE) return (s.flags[o]! & F_TRACKED) !== 0;
    return true;
  }

  /** _PyDict_MaybeUntrack: untracks a dict none of whose keys or values may be tracked. */
  maybeUntrackDict(d: ObjId): boolean {
    const s = this.space;
    const st = s.edgeStart[d]!;
    const end = st + s.edgeLen[d]!;
    for (let i = st; i < end; i++) {
      const c = s.edges[i]!;
      if (c !== NULL_REF && this.mayBeTracked(c)) return false;
    }
    this.untrack(d);
    return true;
  }

  /** Number of objects alive now (including None, bools and the small ints). */
  liveObjects(): number {
    return this.space.live;
  }

  protected newStatic(k: Kind, v: bigint | undefined, size: number): ObjId {
    const o = this.space.newId(k);
    this.space.value[o] = v;
    this.space.flags[o] = F_STATIC;
    this.space.addr[o] = this.staticTop;
    this.space.bytes[o] = size;
    this.staticTop += (size + 15) & ~15;
    return o;
  }

  protected newScalar(k: Kind, v: bigint | number | string, size: number): ObjId {
    const addr = this.mallocOrRaise(size);
    return this.adopt(k, v, addr, size);
  }

  /** A GC object: counts toward gen0's allocation count, which may trigger a collection first. */
  protected newGc(k: Kind, size: number): ObjId {
    this.gc.onGcAlloc();
    const addr = this.mallocOrRaise(size);
    return this.adopt(k, undefined, addr, size);
  }

  protected adopt(k: Kind, v: bigint | number | string | undefined, addr: number, size: number): ObjId {
    const o = this.space.newId(k);
    this.space.value[o] = v;
    this.space.addr[o] = addr;
    this.space.bytes[o] = size;
    if (this.sink !== null)
      this.sink.emit({ kind: "py-alloc", id: o, type: KIND_NAMES[k] ?? "?", size, addr });
    return o;
  }

  protected mallocOrRaise(size: number): number {
    const addr = this.pymalloc.malloc(size);
    if (addr === null) throw new PyException("MemoryError", `cannot allocate ${size} bytes`);
    return addr;
  }

  /** The object's second block (list items, dict keys, set table, instance values), resized. */
  protected allocSecond(o: ObjId, bytes: number): void {
    const s = this.space;
    const old = s.bytes2[o]!;
    if (old === bytes) return;
    if (old > 0 && bytes > 0 && old <= 512 && bytes <= 512 && (old - 1) >> 4 === (bytes - 1) >> 4) {
      s.bytes2[o] = bytes;
      return;
    }
    if (old > 0) this.pymalloc.free(s.addr2[o]!);
    s.addr2[o] = bytes > 0 ? this.mallocOrRaise(bytes) : 0;
    s.bytes2[o] = bytes;
  }

  protected resizeListBuffer(l: ObjId, allocated: number): void {
    this.space.aux[l] = allocated;
    this.allocSecond(l, allocated * 8);
  }

  protected fillEdges(o: ObjId, items: readonly ObjId[]): void {
    for (const it of items) {
      this.incref(it);
      this.space.pushEdge(o, it);
    }
  }

  protected expect(o: ObjId, k: Kind, op: string): void {
    if (this.space.kind[o] !== k) {
      throw new PyException("TypeError", `'${this.typeName(o)}' object has no attribute '${op}'`);
    }
  }

  protected keyOrThrow(o: ObjId): string {
    const h = hashKey(this.space, o);
    if (h === null) throw new PyException("TypeError", `unhashable type: '${this.typeName(o)}'`);
    return h;
  }

  protected dictIsUnicode(d: ObjId): boolean {
    return (this.space.count[d]! & UNICODE_KEYS) !== 0;
  }

  protected dictUsed(d: ObjId): number {
    return this.space.count[d]! & USED_MASK;
  }

  protected dictReset(d: ObjId): void {
    this.space.aux[d] = 0;
    this.space.count[d] = 0;
    this.tableIndex.get(d)?.clear();
    this.allocSecond(d, 0);
  }

  protected setReset(o: ObjId): void {
    this.space.aux[o] = 8;
    this.space.count[o] = 0;
    this.tableIndex.get(o)?.clear();
    this.allocSecond(o, 0);
  }

  /**
   * Runs user code (`__del__`, a callback) the way CPython does where no caller can receive
   * an exception: a PyException is reported as unraisable and the runtime carries on.
   * Anything else is a bug in memsim and propagates.
   */
  runUnraisable(where: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof PyException)) throw e;
      if (this.sink !== null) this.sink.emit({ kind: "unraisable", where, error: e.message });
      if (this.unraisableHook !== undefined) this.unraisableHook(where, e);
      else this.unraisable.push(`${where}: ${e.message}`);
    }
  }

  /** tp_dealloc of an object whose refcount reached zero (dealloc.ts). */
  protected abstract dealloc(o: ObjId): void;

  /** Calls a function object with borrowed arguments (runtime.ts). */
  abstract call(fn: ObjId, args?: readonly ObjId[]): void;

  /** Runs the class's `__del__` on `o` (runtime.ts). */
  abstract runDel(o: ObjId): void;

  /** `[]` with the given items (containers.ts); the collector builds gc.garbage with it. */
  abstract newList(items?: readonly ObjId[]): ObjId;

  /** `l.append(item)` (containers.ts). */
  abstract listAppend(l: ObjId, item: ObjId): void;
}
