import { ContainerHeap } from "./containers.js";
import { PyException } from "./errors.js";
import { CycleCollector } from "./gc.js";
import {
  type ClassSpec,
  INST_DICT,
  INST_HAS_DEL,
  INST_LEGACY_DEL,
  type NativeBody,
  type RuntimeOptions,
  SPLIT_DICT,
} from "./heap.js";
import {
  dictKeysBytes,
  INSTANCE_VALUES_BYTES,
  SIZEOF_CLASS,
  SIZEOF_EMPTY_DICT,
  SIZEOF_FLOAT,
  SIZEOF_FUNCTION,
  SIZEOF_INSTANCE,
  SIZEOF_NONE,
  SIZEOF_SLOTS_CLASS,
  SIZEOF_SPLIT_DICT,
  SIZEOF_WEAKREF,
  sizeofBytes,
  sizeofInt,
  sizeofList,
  sizeofSet,
  sizeofSlotsInstance,
  sizeofStr,
  sizeofTuple,
} from "./sizes.js";
import { F_WEAKREFED, Kind, NULL_REF, type ObjId } from "./space.js";

export type { ClassSpec, NativeBody, RuntimeOptions, UnraisableHook } from "./heap.js";

/** One simulated CPython 3.11 interpreter's object memory. */
export class PyRuntime extends ContainerHeap {
  readonly gc: CycleCollector;

  constructor(opts: RuntimeOptions = {}) {
    super(opts);
    this.gc = new CycleCollector(this);
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
        if ((s.count[o]! & SPLIT_DICT) !== 0) return SIZEOF_SPLIT_DICT;
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

  /** A function object; `body` runs when it is called (e.g. as a weakref callback). */
  newFunction(name: string, body?: NativeBody): ObjId {
    const o = this.newGc(Kind.FUNCTION, SIZEOF_FUNCTION);
    this.space.value[o] = name;
    if (body !== undefined) this.bodies.set(o, body);
    this.ownKeys.set(o, new Map());
    this.track(o);
    return o;
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
    const dict = this.materializedDict(o);
    if (dict !== NULL_REF) {
      this.dictSetStr(dict, name, value);
      return;
    }
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
    const dict = this.materializedDict(o);
    if (dict !== NULL_REF) return this.dictGetStr(dict, name) ?? this.getAttr(s.edge(o, 0), name);
    const slot = this.attrSlot(o, name, false);
    if (slot >= 0 && slot < s.edgeLen[o]! && s.edge(o, slot) !== NULL_REF) return s.edge(o, slot);
    if (s.kind[o] === Kind.INSTANCE) return this.getAttr(s.edge(o, 0), name);
    return undefined;
  }

  /** `del o.name`. Throws AttributeError when unset. */
  delAttr(o: ObjId, name: string): void {
    const s = this.space;
    const dict = this.materializedDict(o);
    if (dict !== NULL_REF && this.dictGetStr(dict, name) !== undefined) {
      const k = this.newStr(name);
      this.dictDel(dict, k);
      this.decref(k);
      return;
    }
    const slot = dict !== NULL_REF ? -1 : this.attrSlot(o, name, false);
    const old = slot >= 0 && slot < s.edgeLen[o]! ? s.edge(o, slot) : NULL_REF;
    if (old === NULL_REF)
      throw new PyException("AttributeError", `'${this.typeName(o)}' object has no attribute '${name}'`);
    s.setEdge(o, slot, NULL_REF);
    this.decref(old);
  }

  /** The attribute names set on `o` (instance, function or class). */
  attrNames(o: ObjId): string[] {
    const s = this.space;
    const dict = this.materializedDict(o);
    if (dict !== NULL_REF) {
      const all = s.referents(dict);
      return all.filter((_, i) => i % 2 === 0).map((k) => String(s.value[k]));
    }
    const keys = s.kind[o] === Kind.INSTANCE ? this.classInfo(s.edge(o, 0)).keys : this.ownKeys.get(o);
    const out: string[] = [];
    for (const [name, slot] of keys ?? []) {
      if (slot < s.edgeLen[o]! && s.edge(o, slot) !== NULL_REF) out.push(name);
    }
    return out;
  }

  /**
   * `o.__dict__` (a new reference). A 3.11 instance keeps its attributes inline until its
   * `__dict__` is asked for; then a dict object is made from them (tracked only if it holds
   * a container) and the instance refers to it, so a cycle through such an instance has one
   * more collectable object (`gc.collect()` returns 3 for two instances, one with
   * `a.__dict__` read). AttributeError for `__slots__` classes.
   */
  instanceDict(o: ObjId): ObjId {
    const s = this.space;
    let dict = this.materializedDict(o);
    if (dict === NULL_REF) {
      if (s.kind[o] !== Kind.INSTANCE || this.classInfo(s.edge(o, 0)).spec.slots !== undefined) {
        throw new PyException("AttributeError", `'${this.typeName(o)}' object has no attribute '__dict__'`);
      }
      dict = this.newDict();
      const moved: ObjId[] = [];
      for (const [name, slot] of [...this.classInfo(s.edge(o, 0)).keys].sort((a, b) => a[1] - b[1])) {
        const v = slot < s.edgeLen[o]! ? s.edge(o, slot) : NULL_REF;
        if (v === NULL_REF) continue;
        this.dictSetStr(dict, name, v);
        moved.push(v);
      }
      s.count[dict]! |= SPLIT_DICT;
      s.edgeLen[o] = 1;
      s.pushEdge(o, dict);
      s.aux[o]! |= INST_DICT;
      for (const v of moved) this.decref(v);
    }
    this.incref(dict);
    return dict;
  }

  /** The instance's materialized `__dict__` (borrowed), or NULL_REF. */
  private materializedDict(o: ObjId): ObjId {
    const s = this.space;
    return s.kind[o] === Kind.INSTANCE && (s.aux[o]! & INST_DICT) !== 0 ? s.edge(o, 1) : NULL_REF;
  }

  /** `d[name]` for a str key (borrowed), or undefined. */
  private dictGetStr(d: ObjId, name: string): ObjId | undefined {
    const at = this.tableIndex.get(d)?.get("s:" + name);
    return at === undefined ? undefined : this.space.edge(d, 2 * at + 1);
  }

  /** The class of an instance. */
  classOf(o: ObjId): ObjId {
    return this.space.edge(o, 0);
  }

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

  supportsWeakrefs(o: ObjId): boolean {
    const k = this.space.kind[o];
    if (k === Kind.INSTANCE) {
      const spec = this.classInfo(this.space.edge(o, 0)).spec;
      return spec.slots === undefined || spec.weakrefSlot === true;
    }
    return k === Kind.FUNCTION || k === Kind.CLASS || k === Kind.SET;
  }

  protected instanceSize(spec: ClassSpec): number {
    return spec.slots === undefined
      ? SIZEOF_INSTANCE
      : sizeofSlotsInstance(spec.slots.length, spec.weakrefSlot === true);
  }

  protected attrSlot(o: ObjId, name: string, create: boolean): number {
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

  /** Calls a function object with borrowed arguments. */
  call(fn: ObjId, args: readonly ObjId[] = []): void {
    if (this.space.kind[fn] !== Kind.FUNCTION) {
      throw new PyException("TypeError", `'${this.typeName(fn)}' object is not callable`);
    }
    this.bodies.get(fn)?.(this, args);
  }

  /** Runs the class's `__del__` on `o` (no finalized check; the collector marks first). */
  runDel(o: ObjId): void {
    if (this.sink !== null) this.sink.emit({ kind: "finalize", id: o, path: this.deathPath });
    const spec = this.classInfo(this.space.edge(o, 0)).spec;
    const del = spec.del;
    if (del !== undefined) this.runUnraisable(`<function ${spec.name}.__del__>`, () => del(this, o));
  }

  /** `d["name"] = value` with a fresh str key. */
  dictSetStr(d: ObjId, name: string, value: ObjId): void {
    const k = this.newStr(name);
    this.dictSet(d, k, value);
    this.decref(k);
  }
}
