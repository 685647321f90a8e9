/**
 * The Python runtime's memory: object creation with CPython 3.11 layouts and sizes, memory
 * from pymalloc (arenas → pools → blocks) or the C heap, reference counting with the
 * deallocation cascade (including the trashcan that bounds its recursion), free lists,
 * weak references, PEP 442 finalizers and the cycle collector (`gc`, see gc.ts).
 *
 * Reference conventions follow the C API: every `new*` returns a NEW reference owned by the
 * caller; container setters (`listAppend`, `setAttr`, `dictSet`, `setAdd`) borrow their
 * argument (they incref it); `assign(name, o)` steals the caller's reference into a global
 * name, `del(name)` drops it. User code (`__del__`, weakref callbacks) is native JavaScript.
 */
import type { EventSink } from "../base/events.js";
import { PyException } from "./errors.js";
import type { ManagedEvent } from "./events.js";
import { CycleCollector } from "./gc.js";
import { hashKey } from "./keys.js";
import { FlatObjectMemory, type ObjectMemory } from "./memory.js";
import { Pymalloc } from "./pymalloc.js";
import {
  dictKeysBytes,
  dictLog2KeySize,
  dictUsable,
  INSTANCE_VALUES_BYTES,
  listExactCapacity,
  listGrowCapacity,
  SIZEOF_CLASS,
  SIZEOF_EMPTY_DICT,
  SIZEOF_EMPTY_LIST,
  SIZEOF_EMPTY_SET,
  SIZEOF_FLOAT,
  SIZEOF_FUNCTION,
  SIZEOF_INSTANCE,
  SIZEOF_NONE,
  SIZEOF_SLOTS_CLASS,
  SIZEOF_WEAKREF,
  setTableSize,
  sizeofBytes,
  sizeofInt,
  sizeofList,
  sizeofSet,
  sizeofSlotsInstance,
  sizeofStr,
  sizeofTuple,
} from "./sizes.js";
import {
  F_FINALIZED,
  F_STATIC,
  F_TRACKED,
  F_WEAKREFED,
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

interface ClassInfo {
  readonly spec: ClassSpec;
  /** Attribute name → edge index in instances (edge 0 is the class itself). */
  readonly keys: Map<string, number>;
}

export interface RuntimeOptions {
  readonly memory?: ObjectMemory;
  readonly sink?: EventSink<ManagedEvent>;
  /** Initial object-table capacity. */
  readonly capacity?: number;
}

const TRASHCAN_UNWIND_LEVEL = 50;
const LIST_MAXFREELIST = 80;
const DICT_MAXFREELIST = 80;
const FLOAT_MAXFREELIST = 100;
const TUPLE_MAXSAVESIZE = 20;
const TUPLE_MAXFREELIST = 2000;
const STATIC_BASE = 0x555555a00000;
const UNICODE_KEYS = 1 << 30;
/** Instance `aux` bits: its class has `__del__` / a legacy tp_del (cached to skip a Map lookup). */
const INST_HAS_DEL = 1;
const INST_LEGACY_DEL = 2;
const USED_MASK = UNICODE_KEYS - 1;

/** One simulated CPython 3.11 interpreter's object memory. */
export class PyRuntime {
  readonly space: ObjectSpace;
  readonly pymalloc: Pymalloc;
  readonly memory: ObjectMemory;
  readonly gc: CycleCollector;
  sink: EventSink<ManagedEvent> | null;
  /** Global names (module namespace); each holds one reference. */
  readonly names = new Map<string, ObjId>();
  readonly None: ObjId;
  readonly True: ObjId;
  readonly False: ObjId;
  /** How the objects dying right now die: by refcount or inside the collector. */
  deathPath: "refcount" | "gc" = "refcount";
  private readonly classes = new Map<ObjId, ClassInfo>();
  private readonly ownKeys = new Map<ObjId, Map<string, number>>();
  private readonly tableIndex = new Map<ObjId, Map<string, number>>();
  private readonly weakrefs = new Map<ObjId, ObjId[]>();
  private readonly bodies = new Map<ObjId, NativeBody>();
  private readonly smallInts: ObjId[] = [];
  private staticTop = STATIC_BASE;
  private readonly freeLists = { list: [] as number[], dict: [] as number[], float: [] as number[] };
  private readonly tupleFreeLists: number[][] = Array.from({ length: TUPLE_MAXSAVESIZE }, () => []);
  private trashDepth = 0;
  /** Children of objects being deallocated (a stack, so nested deallocations share it). */
  private childStack = new Int32Array(1024);
  private childTop = 0;
  private readonly trashLater: ObjId[] = [];

  constructor(opts: RuntimeOptions = {}) {
    this.space = new ObjectSpace(opts.capacity ?? 1024);
    this.memory = opts.memory ?? new FlatObjectMemory();
    this.pymalloc = new Pymalloc(this.memory);
    this.sink = opts.sink ?? null;
    this.gc = new CycleCollector(this);
    this.None = this.newStatic(Kind.NONE, undefined, SIZEOF_NONE);
    this.False = this.newStatic(Kind.BOOL, 0n, 28);
    this.True = this.newStatic(Kind.BOOL, 1n, 28);
    for (let v = -5; v <= 256; v++)
      this.smallInts.push(this.newStatic(Kind.INT, BigInt(v), sizeofInt(BigInt(v))));
  }

  // ---------------------------------------------------------------- reference counting

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

  /** `sys.getrefcount(o)`: the refcount plus the reference held by the call's argument. */
  getrefcount(o: ObjId): number {
    return this.space.refcnt[o]! + 1;
  }

  /** `sys.getsizeof(o)` in bytes, CPython 3.11 on 64-bit. */
  getsizeof(o: ObjId): number {
    const s = this.space;
    const v = s.value[o];
    switch (s.kind[o]) {
      case Kind.NONE:
        return SIZEOF_NONE;
      case Kind.BOOL:
      case Kind.INT:
        return sizeofInt(v as bigint);
      case Kind.FLOAT:
        return SIZEOF_FLOAT;
      case Kind.STR:
        return sizeofStr(v as string);
      case Kind.BYTES:
        return sizeofBytes((v as string).length);
      case Kind.TUPLE:
        return sizeofTuple(s.edgeLen[o]!);
      case Kind.LIST:
        return sizeofList(s.aux[o]!);
      case Kind.DICT:
        return s.aux[o] === 0
          ? SIZEOF_EMPTY_DICT
          : SIZEOF_EMPTY_DICT + dictKeysBytes(s.aux[o]!, this.dictIsUnicode(o));
      case Kind.SET:
        return sizeofSet(s.aux[o]!);
      case Kind.FUNCTION:
        return SIZEOF_FUNCTION;
      case Kind.CLASS:
        return this.classInfo(o).spec.slots === undefined ? SIZEOF_CLASS : SIZEOF_SLOTS_CLASS;
      case Kind.INSTANCE:
        return this.instanceSize(this.classInfo(this.space.edge(o, 0)).spec);
      case Kind.WEAKREF:
        return SIZEOF_WEAKREF;
      default:
        throw new PyException("ReferenceError", `object ${o} is freed`);
    }
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

  // ---------------------------------------------------------------- names (the module namespace)

  /** `name = o`, stealing the caller's reference; the old value is released. */
  assign(name: string, o: ObjId): void {
    const old = this.names.get(name);
    this.names.set(name, o);
    if (old !== undefined) this.decref(old);
  }

  /** `del name`. Returns false when the name is not bound. */
  del(name: string): boolean {
    const old = this.names.get(name);
    if (old === undefined) return false;
    this.names.delete(name);
    this.decref(old);
    return true;
  }

  /** The object bound to `name` (a borrowed reference), or undefined. */
  lookup(name: string): ObjId | undefined {
    return this.names.get(name);
  }

  // ---------------------------------------------------------------- scalars

  /** An int (cached small ints -5..256 are shared, as in CPython). */
  newInt(v: number | bigint): ObjId {
    const b = BigInt(v);
    if (b >= -5n && b <= 256n) {
      const o = this.smallInts[Number(b) + 5]!;
      this.incref(o);
      return o;
    }
    return this.newScalar(Kind.INT, b, sizeofInt(b));
  }

  newBool(b: boolean): ObjId {
    const o = b ? this.True : this.False;
    this.incref(o);
    return o;
  }

  newNone(): ObjId {
    this.incref(this.None);
    return this.None;
  }

  newFloat(x: number): ObjId {
    const fl = this.freeLists.float;
    if (fl.length > 0) return this.adopt(Kind.FLOAT, x, fl.pop()!, SIZEOF_FLOAT);
    return this.newScalar(Kind.FLOAT, x, SIZEOF_FLOAT);
  }

  newStr(s: string): ObjId {
    return this.newScalar(Kind.STR, s, sizeofStr(s));
  }

  /** A bytes object; `data` is kept as a latin-1 string. */
  newBytes(data: string): ObjId {
    return this.newScalar(Kind.BYTES, data, sizeofBytes(data.length));
  }

  // ---------------------------------------------------------------- containers

  /** `tuple(items)`: borrows the items. The empty tuple is a shared singleton in CPython; here a fresh one. */
  newTuple(items: readonly ObjId[]): ObjId {
    const n = items.length;
    const fl = n > 0 && n < TUPLE_MAXSAVESIZE ? this.tupleFreeLists[n]! : undefined;
    const o =
      fl !== undefined && fl.length > 0
        ? this.adopt(Kind.TUPLE, undefined, fl.pop()!, sizeofTuple(n))
        : this.newGc(Kind.TUPLE, sizeofTuple(n));
    this.fillEdges(o, items);
    this.track(o);
    return o;
  }

  /** `[a, b, …]` (BUILD_LIST n): exactly n slots allocated. Borrows the items. */
  newList(items: readonly ObjId[] = []): ObjId {
    const fl = this.freeLists.list;
    const o =
      fl.length > 0
        ? this.adopt(Kind.LIST, undefined, fl.pop()!, SIZEOF_EMPTY_LIST)
        : this.newGc(Kind.LIST, SIZEOF_EMPTY_LIST);
    this.fillEdges(o, items);
    this.resizeListBuffer(o, items.length);
    this.track(o);
    return o;
  }

  /** `list(seq)` or a literal of 3+ constants: preallocated to len(seq) rounded up to even. */
  newListFrom(items: readonly ObjId[]): ObjId {
    const o = this.newList([]);
    if (items.length === 0) return o;
    this.fillEdges(o, items);
    this.resizeListBuffer(o, listExactCapacity(items.length));
    return o;
  }

  /** `l.append(item)`, growing by CPython's over-allocation rule. */
  listAppend(l: ObjId, item: ObjId): void {
    this.expect(l, Kind.LIST, "append");
    const s = this.space;
    const n = s.edgeLen[l]!;
    this.resizeListBuffer(l, listGrowCapacity(s.aux[l]!, n, n + 1));
    this.incref(item);
    s.pushEdge(l, item);
  }

  /** `l[i] = item`. */
  listSet(l: ObjId, i: number, item: ObjId): void {
    this.expect(l, Kind.LIST, "__setitem__");
    const idx = this.listIndex(l, i);
    const old = this.space.edge(l, idx);
    this.incref(item);
    this.space.setEdge(l, idx, item);
    this.decref(old);
  }

  /** `del l[i]` (the list may shrink its allocation, as list_resize does). */
  listDel(l: ObjId, i: number): void {
    this.expect(l, Kind.LIST, "__delitem__");
    const s = this.space;
    const idx = this.listIndex(l, i);
    const n = s.edgeLen[l]!;
    const old = s.edge(l, idx);
    const st = s.edgeStart[l]!;
    s.edges.copyWithin(st + idx, st + idx + 1, st + n);
    s.edgeLen[l] = n - 1;
    this.resizeListBuffer(l, listGrowCapacity(s.aux[l]!, n, n - 1));
    this.decref(old);
  }

  /** The items of a list, tuple or set, or the values of a dict (borrowed references). */
  items(o: ObjId): ObjId[] {
    const s = this.space;
    const all = s.referents(o);
    if (s.kind[o] === Kind.DICT) return all.filter((_, i) => i % 2 === 1);
    return all;
  }

  /** `len(o)` for list, tuple, dict and set. */
  len(o: ObjId): number {
    const s = this.space;
    const k = s.kind[o];
    if (k === Kind.DICT) return s.count[o]! & USED_MASK;
    if (k === Kind.SET) return s.count[o]!;
    if (k === Kind.LIST || k === Kind.TUPLE) return s.edgeLen[o]!;
    throw new PyException("TypeError", `object of type '${this.typeName(o)}' has no len()`);
  }

  /** `{}`: an empty dict sharing the empty key table (untracked until it holds a container). */
  newDict(): ObjId {
    const fl = this.freeLists.dict;
    const o =
      fl.length > 0
        ? this.adopt(Kind.DICT, undefined, fl.pop()!, SIZEOF_EMPTY_DICT)
        : this.newGc(Kind.DICT, SIZEOF_EMPTY_DICT);
    this.tableIndex.set(o, new Map());
    return o;
  }

  /** `d[key] = value` (insertdict): borrows both; grows the key table by GROWTH_RATE = used*3. */
  dictSet(d: ObjId, key: ObjId, value: ObjId): void {
    this.expect(d, Kind.DICT, "__setitem__");
    const s = this.space;
    const h = this.keyOrThrow(key);
    const index = this.tableIndex.get(d)!;
    const at = index.get(h);
    if (at !== undefined) {
      const old = s.edge(d, 2 * at + 1);
      this.incref(value);
      s.setEdge(d, 2 * at + 1, value);
      this.maintainDictTracking(d, key, value);
      this.decref(old);
      return;
    }
    const isStr = s.kind[key] === Kind.STR;
    if (s.aux[d] === 0) this.dictResize(d, 3, isStr);
    else if (this.dictIsUnicode(d) && !isStr)
      this.dictResize(d, dictLog2KeySize(this.dictUsed(d) * 3), false);
    if (dictUsable(2 ** s.aux[d]!) - (s.edgeLen[d]! >> 1) <= 0) {
      this.dictResize(d, dictLog2KeySize(this.dictUsed(d) * 3), this.dictIsUnicode(d));
    }
    this.incref(key);
    this.incref(value);
    index.set(h, s.edgeLen[d]! >> 1);
    s.pushEdge(d, key);
    s.pushEdge(d, value);
    s.count[d]! += 1;
    this.maintainDictTracking(d, key, value);
  }

  /** `d["name"] = value` with a fresh str key. */
  dictSetStr(d: ObjId, name: string, value: ObjId): void {
    const k = this.newStr(name);
    this.dictSet(d, k, value);
    this.decref(k);
  }

  /** `d[key]` (borrowed), or undefined when absent. */
  dictGet(d: ObjId, key: ObjId): ObjId | undefined {
    const at = this.tableIndex.get(d)?.get(this.keyOrThrow(key));
    return at === undefined ? undefined : this.space.edge(d, 2 * at + 1);
  }

  /** `del d[key]`: the entry becomes a dummy (the table never shrinks on delete). */
  dictDel(d: ObjId, key: ObjId): void {
    this.expect(d, Kind.DICT, "__delitem__");
    const s = this.space;
    const h = this.keyOrThrow(key);
    const index = this.tableIndex.get(d)!;
    const at = index.get(h);
    if (at === undefined) throw new PyException("KeyError", h);
    index.delete(h);
    const k = s.edge(d, 2 * at);
    const v = s.edge(d, 2 * at + 1);
    s.setEdge(d, 2 * at, NULL_REF);
    s.setEdge(d, 2 * at + 1, NULL_REF);
    s.count[d]! -= 1;
    this.decref(k);
    this.decref(v);
  }

  /** `set(items)`: borrows the items. */
  newSet(items: readonly ObjId[] = []): ObjId {
    const o = this.newGc(Kind.SET, SIZEOF_EMPTY_SET);
    this.space.aux[o] = 8;
    this.tableIndex.set(o, new Map());
    this.track(o);
    for (const it of items) this.setAdd(o, it);
    return o;
  }

  /** `s.add(item)`: resizes when fill*5 ≥ mask*3, to used*4 (used*2 above 50000). */
  setAdd(o: ObjId, item: ObjId): void {
    this.expect(o, Kind.SET, "add");
    const s = this.space;
    const h = this.keyOrThrow(item);
    const index = this.tableIndex.get(o)!;
    if (index.has(h)) return;
    this.incref(item);
    index.set(h, s.edgeLen[o]!);
    s.pushEdge(o, item);
    s.count[o]! += 1;
    const fill = s.edgeLen[o]!;
    const mask = s.aux[o]! - 1;
    if (fill * 5 < mask * 3) return;
    const used = s.count[o]!;
    this.setResize(o, setTableSize(used > 50000 ? used * 2 : used * 4));
  }

  /** `s.discard(item)`: leaves a dummy slot. */
  setDiscard(o: ObjId, item: ObjId): void {
    this.expect(o, Kind.SET, "discard");
    const s = this.space;
    const h = this.keyOrThrow(item);
    const index = this.tableIndex.get(o)!;
    const at = index.get(h);
    if (at === undefined) return;
    index.delete(h);
    const old = s.edge(o, at);
    s.setEdge(o, at, NULL_REF);
    s.count[o]! -= 1;
    this.decref(old);
  }

  // ---------------------------------------------------------------- functions, classes, instances

  /** A function object; `body` runs when it is called (e.g. as a weakref callback). */
  newFunction(name: string, body?: NativeBody): ObjId {
    const o = this.newGc(Kind.FUNCTION, SIZEOF_FUNCTION);
    this.space.value[o] = name;
    if (body !== undefined) this.bodies.set(o, body);
    this.ownKeys.set(o, new Map());
    this.track(o);
    return o;
  }

  /** Calls a function object with borrowed arguments. */
  call(fn: ObjId, args: readonly ObjId[] = []): void {
    if (this.space.kind[fn] !== Kind.FUNCTION) {
      throw new PyException("TypeError", `'${this.typeName(fn)}' object is not callable`);
    }
    this.bodies.get(fn)?.(this, args);
  }

  /** A class statement. Slots classes lay their slots out as instance edges 1..n. */
  newClass(spec: ClassSpec): ObjId {
    const size = spec.slots === undefined ? SIZEOF_CLASS : SIZEOF_SLOTS_CLASS;
    const o = this.newGc(Kind.CLASS, size);
    this.space.value[o] = spec.name;
    const keys = new Map<string, number>();
    (spec.slots ?? []).forEach((name, i) => {
      keys.set(name, i + 1);
    });
    this.classes.set(o, { spec, keys });
    this.ownKeys.set(o, new Map());
    this.track(o);
    return o;
  }

  /** `cls()`: an instance referencing its class (edge 0), tracked. */
  newInstance(cls: ObjId): ObjId {
    const info = this.classInfo(cls);
    const spec = info.spec;
    const o = this.newGc(Kind.INSTANCE, this.instanceSize(spec));
    if (spec.slots === undefined) this.allocSecond(o, INSTANCE_VALUES_BYTES);
    this.space.aux[o] =
      (spec.del !== undefined ? INST_HAS_DEL : 0) | (spec.legacyDel === true ? INST_LEGACY_DEL : 0);
    this.incref(cls);
    this.space.pushEdge(o, cls);
    for (let i = 0; i < (spec.slots?.length ?? 0); i++) this.space.pushEdge(o, NULL_REF);
    this.track(o);
    return o;
  }

  /** `o.name = value` on an instance, function or class (borrows value). */
  setAttr(o: ObjId, name: string, value: ObjId): void {
    const s = this.space;
    const slot = this.attrSlot(o, name, true);
    while (s.edgeLen[o]! <= slot) s.pushEdge(o, NULL_REF);
    const old = s.edge(o, slot);
    this.incref(value);
    s.setEdge(o, slot, value);
    this.xdecref(old);
  }

  /** `o.name` (borrowed): the instance's own attribute, else the class attribute; undefined if none. */
  getAttr(o: ObjId, name: string): ObjId | undefined {
    const s = this.space;
    const slot = this.attrSlot(o, name, false);
    if (slot >= 0 && slot < s.edgeLen[o]! && s.edge(o, slot) !== NULL_REF) return s.edge(o, slot);
    if (s.kind[o] === Kind.INSTANCE) return this.getAttr(s.edge(o, 0), name);
    return undefined;
  }

  /** `del o.name`. Throws AttributeError when unset. */
  delAttr(o: ObjId, name: string): void {
    const s = this.space;
    const slot = this.attrSlot(o, name, false);
    const old = slot >= 0 && slot < s.edgeLen[o]! ? s.edge(o, slot) : NULL_REF;
    if (old === NULL_REF)
      throw new PyException("AttributeError", `'${this.typeName(o)}' object has no attribute '${name}'`);
    s.setEdge(o, slot, NULL_REF);
    this.decref(old);
  }

  /** The attribute names set on `o` (instance, function or class). */
  attrNames(o: ObjId): string[] {
    const s = this.space;
    const keys = s.kind[o] === Kind.INSTANCE ? this.classInfo(s.edge(o, 0)).keys : this.ownKeys.get(o);
    const out: string[] = [];
    for (const [name, slot] of keys ?? []) {
      if (slot < s.edgeLen[o]! && s.edge(o, slot) !== NULL_REF) out.push(name);
    }
    return out;
  }

  /** The class of an instance. */
  classOf(o: ObjId): ObjId {
    return this.space.edge(o, 0);
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

  // ---------------------------------------------------------------- weak references

  /**
   * `weakref.ref(o, callback)`. Without a callback an existing plain ref is shared (CPython
   * returns the same object). Throws TypeError for types without weakref support.
   */
  newWeakref(target: ObjId, callback: ObjId = NULL_REF): ObjId {
    if (!this.supportsWeakrefs(target)) {
      throw new PyException("TypeError", `cannot create weak reference to '${this.typeName(target)}' object`);
    }
    let list = this.weakrefs.get(target);
    if (list === undefined) {
      list = [];
      this.weakrefs.set(target, list);
    }
    const basic = list[0];
    const hasBasic = basic !== undefined && this.space.edgeLen[basic] === 0;
    if (callback === NULL_REF && hasBasic) {
      this.incref(basic);
      return basic;
    }
    const wr = this.newGc(Kind.WEAKREF, SIZEOF_WEAKREF);
    this.space.aux[wr] = target;
    this.space.flags[target]! |= F_WEAKREFED;
    if (callback !== NULL_REF) {
      this.incref(callback);
      this.space.pushEdge(wr, callback);
      list.splice(hasBasic ? 1 : 0, 0, wr);
    } else list.unshift(wr);
    this.track(wr);
    return wr;
  }

  /** Calling a weakref: its referent (borrowed), or None once the referent died. */
  weakrefGet(wr: ObjId): ObjId {
    const t = this.space.aux[wr]!;
    return t === NULL_REF ? this.None : t;
  }

  /** The weakrefs currently pointing at `o`, in CPython's list order. */
  weakrefsTo(o: ObjId): readonly ObjId[] {
    return this.weakrefs.get(o) ?? [];
  }

  supportsWeakrefs(o: ObjId): boolean {
    const k = this.space.kind[o];
    if (k === Kind.INSTANCE) {
      const spec = this.classInfo(this.space.edge(o, 0)).spec;
      return spec.slots === undefined || spec.weakrefSlot === true;
    }
    return k === Kind.FUNCTION || k === Kind.CLASS || k === Kind.SET;
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
    this.call(cb, [wr]);
  }

  // ---------------------------------------------------------------- finalizers

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

  /** Runs the class's `__del__` on `o` (no finalized check; the collector marks first). */
  runDel(o: ObjId): void {
    if (this.sink !== null) this.sink.emit({ kind: "finalize", id: o, path: this.deathPath });
    this.classInfo(this.space.edge(o, 0)).spec.del?.(this, o);
  }

  // ---------------------------------------------------------------- gc support

  /** PyObject_GC_Track: appends to generation 0. */
  track(o: ObjId): void {
    const s = this.space;
    if ((s.flags[o]! & F_TRACKED) !== 0) return;
    s.flags[o]! |= F_TRACKED;
    s.listAppend(o, GEN0);
  }

  /** PyObject_GC_UnTrack. */
  untrack(o: ObjId): void {
    const s = this.space;
    if ((s.flags[o]! & F_TRACKED) === 0) return;
    s.listRemove(o);
    s.flags[o]! &= ~F_TRACKED;
    s.gcRefs[o] = GC_REACHABLE;
  }

  /** _PyObject_GC_MAY_BE_TRACKED: a container, except a tuple that is already untracked. */
  mayBeTracked(o: ObjId): boolean {
    const s = this.space;
    const k = s.kind[o]!;
    if (!isGcKind(k)) return false;
    if (k === Kind.TUPLE) return (s.flags[o]! & F_TRACKED) !== 0;
    return true;
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

  /** Number of objects alive now (including None, bools and the small ints). */
  liveObjects(): number {
    return this.space.live;
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

  classInfo(cls: ObjId): ClassInfo {
    const info = this.classes.get(cls);
    if (info === undefined) throw new PyException("TypeError", `object ${cls} is not a class`);
    return info;
  }

  // ---------------------------------------------------------------- deallocation

  /** tp_dealloc of an object whose refcount reached zero. */
  private dealloc(o: ObjId): void {
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

  private deallocBody(o: ObjId, k: number): void {
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
  private pushChildren(o: ObjId): number {
    const s = this.space;
    const n = s.edgeLen[o]!;
    const base = this.childTop;
    if (base + n > this.childStack.length) {
      const bigger = new Int32Array(Math.max(this.childStack.length * 2, base + n));
      bigger.set(this.childStack);
      this.childStack = bigger;
    }
    const st = s.edgeStart[o]!;
    this.childStack.set(s.edges.subarray(st, st + n), base);
    this.childTop = base + n;
    return base;
  }

  /**
   * PyObject_ClearWeakRefs on a refcount death: every weakref is cleared first, then the
   * callbacks run in list order, each weakref and callback held by a temporary reference.
   */
  private clearWeakrefsOnDealloc(o: ObjId): void {
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
  private finalizeFromDealloc(o: ObjId): boolean {
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
  private releaseMemory(o: ObjId, k: number): void {
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

  // ---------------------------------------------------------------- allocation helpers

  private newStatic(k: Kind, v: bigint | undefined, size: number): ObjId {
    const o = this.space.newId(k);
    this.space.value[o] = v;
    this.space.flags[o] = F_STATIC;
    this.space.addr[o] = this.staticTop;
    this.space.bytes[o] = size;
    this.staticTop += (size + 15) & ~15;
    return o;
  }

  private newScalar(k: Kind, v: bigint | number | string, size: number): ObjId {
    const addr = this.mallocOrRaise(size);
    return this.adopt(k, v, addr, size);
  }

  /** A GC object: counts toward gen0's allocation count, which may trigger a collection first. */
  private newGc(k: Kind, size: number): ObjId {
    this.gc.onGcAlloc();
    const addr = this.mallocOrRaise(size);
    return this.adopt(k, undefined, addr, size);
  }

  private adopt(k: Kind, v: bigint | number | string | undefined, addr: number, size: number): ObjId {
    const o = this.space.newId(k);
    this.space.value[o] = v;
    this.space.addr[o] = addr;
    this.space.bytes[o] = size;
    if (this.sink !== null)
      this.sink.emit({ kind: "py-alloc", id: o, type: KIND_NAMES[k] ?? "?", size, addr });
    return o;
  }

  private mallocOrRaise(size: number): number {
    const addr = this.pymalloc.malloc(size);
    if (addr === null) throw new PyException("MemoryError", `cannot allocate ${size} bytes`);
    return addr;
  }

  /** The object's second block (list items, dict keys, set table, instance values), resized. */
  private allocSecond(o: ObjId, bytes: number): void {
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

  private resizeListBuffer(l: ObjId, allocated: number): void {
    this.space.aux[l] = allocated;
    this.allocSecond(l, allocated * 8);
  }

  private fillEdges(o: ObjId, items: readonly ObjId[]): void {
    for (const it of items) {
      this.incref(it);
      this.space.pushEdge(o, it);
    }
  }

  private instanceSize(spec: ClassSpec): number {
    return spec.slots === undefined
      ? SIZEOF_INSTANCE
      : sizeofSlotsInstance(spec.slots.length, spec.weakrefSlot === true);
  }

  private attrSlot(o: ObjId, name: string, create: boolean): number {
    const s = this.space;
    const k = s.kind[o];
    if (k === Kind.INSTANCE) {
      const info = this.classInfo(s.edge(o, 0));
      const slot = info.keys.get(name);
      if (slot !== undefined) return slot;
      if (info.spec.slots !== undefined) {
        if (!create) return -1;
        throw new PyException("AttributeError", `'${info.spec.name}' object has no attribute '${name}'`);
      }
      if (!create) return -1;
      info.keys.set(name, info.keys.size + 1);
      return info.keys.size;
    }
    const own = this.ownKeys.get(o);
    if (own === undefined)
      throw new PyException("AttributeError", `'${this.typeName(o)}' object has no attribute '${name}'`);
    const slot = own.get(name);
    if (slot !== undefined) return slot;
    if (!create) return -1;
    own.set(name, own.size);
    return own.size - 1;
  }

  private listIndex(l: ObjId, i: number): number {
    const n = this.space.edgeLen[l]!;
    const idx = i < 0 ? i + n : i;
    if (idx < 0 || idx >= n) throw new PyException("IndexError", "list index out of range");
    return idx;
  }

  private expect(o: ObjId, k: Kind, op: string): void {
    if (this.space.kind[o] !== k) {
      throw new PyException("TypeError", `'${this.typeName(o)}' object has no attribute '${op}'`);
    }
  }

  private keyOrThrow(o: ObjId): string {
    const h = hashKey(this.space, o);
    if (h === null) throw new PyException("TypeError", `unhashable type: '${this.typeName(o)}'`);
    return h;
  }

  private dictIsUnicode(d: ObjId): boolean {
    return (this.space.count[d]! & UNICODE_KEYS) !== 0;
  }

  private dictUsed(d: ObjId): number {
    return this.space.count[d]! & USED_MASK;
  }

  /** MAINTAIN_TRACKING: an untracked dict starts being tracked once it holds a container. */
  private maintainDictTracking(d: ObjId, key: ObjId, value: ObjId): void {
    if ((this.space.flags[d]! & F_TRACKED) !== 0) return;
    if (this.mayBeTracked(key) || this.mayBeTracked(value)) this.track(d);
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

  /** dictresize: new key table of 2^log2 slots, entries compacted (dummies dropped). */
  private dictResize(d: ObjId, log2: number, unicode: boolean): void {
    const s = this.space;
    const live = s.referents(d);
    s.edgeLen[d] = 0;
    const index = this.tableIndex.get(d)!;
    index.clear();
    for (let i = 0; i < live.length; i += 2) {
      index.set(hashKey(s, live[i]!)!, i >> 1);
      s.pushEdge(d, live[i]!);
      s.pushEdge(d, live[i + 1]!);
    }
    s.aux[d] = log2;
    s.count[d] = (s.count[d]! & USED_MASK) | (unicode ? UNICODE_KEYS : 0);
    this.allocSecond(d, dictKeysBytes(log2, unicode));
  }

  private dictReset(d: ObjId): void {
    this.space.aux[d] = 0;
    this.space.count[d] = 0;
    this.tableIndex.get(d)?.clear();
    this.allocSecond(d, 0);
  }

  private setResize(o: ObjId, size: number): void {
    const s = this.space;
    const live = s.referents(o);
    s.edgeLen[o] = 0;
    const index = this.tableIndex.get(o)!;
    index.clear();
    for (const it of live) {
      index.set(hashKey(s, it)!, s.edgeLen[o]!);
      s.pushEdge(o, it);
    }
    s.aux[o] = size;
    this.allocSecond(o, size > 8 ? size * 16 : 0);
  }

  private setReset(o: ObjId): void {
    this.space.aux[o] = 8;
    this.space.count[o] = 0;
    this.tableIndex.get(o)?.clear();
    this.allocSecond(o, 0);
  }
}
