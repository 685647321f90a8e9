/**
 * The object table: every Python object of a runtime, as a struct of typed arrays indexed by
 * object id. Per object: its type (`kind`), `ob_refcnt`, the gc header (`gcNext`/`gcPrev`
 * links of the generation list it is in, `gcRefs` during a collection, state flags), its
 * memory blocks, and its outgoing references as a slice of one shared `Int32Array`.
 *
 * The gc lists are intrusive doubly linked lists like CPython's `PyGC_Head` lists; ids
 * 0..HEAD_COUNT-1 are the list heads (sentinels), objects start at FIRST_OBJECT.
 */
import { SimError } from "../base/errors.js";

/** An object id (index into the object table). */
export type ObjId = number;
/** The empty reference slot (a C `NULL`). */
export const NULL_REF = -1;

/** Object types. Containers (TUPLE and up) are collectable ("GC") types. */
export const Kind = {
  FREE: 0,
  NONE: 1,
  BOOL: 2,
  INT: 3,
  FLOAT: 4,
  STR: 5,
  BYTES: 6,
  TUPLE: 7,
  LIST: 8,
  DICT: 9,
  SET: 10,
  FUNCTION: 11,
  CLASS: 12,
  INSTANCE: 13,
  WEAKREF: 14,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/** The Python type name of each kind (`type(o).__name__`; instances use their class's name). */
export const KIND_NAMES: readonly string[] = [
  "<free>",
  "NoneType",
  "bool",
  "int",
  "float",
  "str",
  "bytes",
  "tuple",
  "list",
  "dict",
  "set",
  "function",
  "type",
  "object",
  "weakref",
];

/** True for the collectable container types (they carry a `PyGC_Head`). */
export const isGcKind = (k: number): boolean => k >= Kind.TUPLE;

/**
 * gc_refs outside the counting phases, as in CPython before 3.8: every object not in the
 * generation being collected reads GC_REACHABLE, and objects that move_unreachable put in
 * the unreachable list read GC_TENTATIVELY_UNREACHABLE. Only counted objects are ≥ 0, so
 * the hot loops need no flag test.
 */
export const GC_REACHABLE = -3;
export const GC_TENTATIVELY_UNREACHABLE = -4;

/** gc state flags. */
export const F_TRACKED = 1;
export const F_FINALIZED = 2;
/** Has (or had) weak references pointing at it. */
export const F_WEAKREFED = 4;
/** Kept alive by the runtime forever (None, bools, small ints). */
export const F_STATIC = 16;

/** List heads. */
export const GEN0 = 0;
export const GEN1 = 1;
export const GEN2 = 2;
export const PERMANENT = 3;
export const L_UNREACHABLE = 4;
export const L_FINALIZERS = 5;
export const L_WRCB = 6;
export const L_SEEN = 7;
export const L_STILL = 8;
export const HEAD_COUNT = 16;
export const FIRST_OBJECT = HEAD_COUNT;

/** The object table and its gc lists. Grows by doubling; ids of freed objects are reused. */
export class ObjectSpace {
  cap = 0;
  kind = new Uint8Array(0);
  flags = new Uint8Array(0);
  refcnt = new Int32Array(0);
  gcRefs = new Int32Array(0);
  gcNext = new Int32Array(0);
  gcPrev = new Int32Array(0);
  /** LIST: allocated slots; DICT: log2 key-table size (0 = shared empty keys); SET: table size; WEAKREF: referent. */
  aux = new Int32Array(0);
  /** DICT/SET: number of live entries (`ma_used`, `used`); DICT: bit 30 set when keys are all str. */
  count = new Int32Array(0);
  edgeStart = new Int32Array(0);
  edgeLen = new Int32Array(0);
  edgeCap = new Int32Array(0);
  addr = new Float64Array(0);
  bytes = new Int32Array(0);
  addr2 = new Float64Array(0);
  bytes2 = new Int32Array(0);
  /** Scalar payloads (int → bigint, float → number, str → string, bytes → length), sparse. */
  readonly value: (bigint | number | string | undefined)[] = [];
  edges: Int32Array;
  edgeTop = 0;
  private edgeWaste = 0;
  top = FIRST_OBJECT;
  private freeIds = new Int32Array(0);
  private freeTop = 0;
  live = 0;

  /** `initial` objects fit without growing, with about four references each. */
  constructor(initial = 1024) {
    this.edges = new Int32Array(Math.max(1 << 16, initial * 4));
    this.grow(Math.max(initial, FIRST_OBJECT * 2));
    for (let h = 0; h < HEAD_COUNT; h++) this.listInit(h);
  }

  /** A fresh id with kind `k`, refcount 1, no edges and no memory yet. */
  newId(k: Kind): ObjId {
    let id: number;
    if (this.freeTop > 0) id = this.freeIds[--this.freeTop] as number;
    else {
      if (this.top === this.cap) this.grow(this.cap * 2);
      id = this.top++;
    }
    this.kind[id] = k;
    this.flags[id] = 0;
    this.refcnt[id] = 1;
    this.gcRefs[id] = GC_REACHABLE;
    this.gcNext[id] = -1;
    this.gcPrev[id] = -1;
    this.aux[id] = 0;
    this.count[id] = 0;
    this.edgeLen[id] = 0;
    this.edgeCap[id] = 0;
    this.addr[id] = 0;
    this.bytes[id] = 0;
    this.addr2[id] = 0;
    this.bytes2[id] = 0;
    this.live++;
    return id;
  }

  /** Returns `id` to the free pool; its slot reads as FREE until reused. */
  freeId(id: ObjId): void {
    this.edgeWaste += this.edgeCap[id] as number;
    this.edgeCap[id] = 0;
    this.edgeLen[id] = 0;
    this.kind[id] = Kind.FREE;
    this.value[id] = undefined;
    if (this.freeTop === this.freeIds.length) {
      const n = new Int32Array(Math.max(1024, this.freeIds.length * 2));
      n.set(this.freeIds);
      this.freeIds = n;
    }
    this.freeIds[this.freeTop++] = id;
    this.live--;
  }

  isLive(id: number): boolean {
    return id >= FIRST_OBJECT && id < this.top && this.kind[id] !== Kind.FREE;
  }

  /** Makes room for `need` edges of `id`, keeping its current ones (amortised doubling). */
  ensureEdges(id: ObjId, need: number): void {
    const cap = this.edgeCap[id] as number;
    if (need <= cap) return;
    const newCap = Math.max(4, need, cap * 2);
    const start = this.reserveEdges(newCap);
    const old = this.edgeStart[id] as number;
    const len = this.edgeLen[id] as number;
    this.edges.copyWithin(start, old, old + len);
    this.edgeStart[id] = start;
    this.edgeCap[id] = newCap;
    this.edgeWaste += cap;
  }

  /** Edge `i` of `id` (NULL_REF for an empty slot). */
  edge(id: ObjId, i: number): ObjId {
    return this.edges[(this.edgeStart[id] as number) + i] as number;
  }

  setEdge(id: ObjId, i: number, v: ObjId): void {
    this.edges[(this.edgeStart[id] as number) + i] = v;
  }

  /** Appends one edge to `id`. */
  pushEdge(id: ObjId, v: ObjId): void {
    const len = this.edgeLen[id] as number;
    this.ensureEdges(id, len + 1);
    this.edges[(this.edgeStart[id] as number) + len] = v;
    this.edgeLen[id] = len + 1;
  }

  /** The non-NULL edges of `id`, in slot order (allocates; not for hot paths). */
  referents(id: ObjId): ObjId[] {
    const out: ObjId[] = [];
    const s = this.edgeStart[id] as number;
    const e = s + (this.edgeLen[id] as number);
    for (let i = s; i < e; i++) {
      const t = this.edges[i] as number;
      if (t !== NULL_REF) out.push(t);
    }
    return out;
  }

  // ---- gc lists (intrusive, circular, with sentinel heads) ----

  listInit(h: number): void {
    this.gcNext[h] = h;
    this.gcPrev[h] = h;
  }

  listIsEmpty(h: number): boolean {
    return this.gcNext[h] === h;
  }

  /** Appends `node` (not currently in a list) at the tail of `h`. */
  listAppend(node: number, h: number): void {
    const last = this.gcPrev[h] as number;
    this.gcNext[last] = node;
    this.gcPrev[node] = last;
    this.gcNext[node] = h;
    this.gcPrev[h] = node;
  }

  /** Unlinks `node` from whatever list holds it. */
  listRemove(node: number): void {
    const p = this.gcPrev[node] as number;
    const n = this.gcNext[node] as number;
    this.gcNext[p] = n;
    this.gcPrev[n] = p;
    this.gcNext[node] = -1;
    this.gcPrev[node] = -1;
  }

  /** Moves `node` to the tail of `h`. */
  listMove(node: number, h: number): void {
    const p = this.gcPrev[node] as number;
    const n = this.gcNext[node] as number;
    this.gcNext[p] = n;
    this.gcPrev[n] = p;
    this.listAppend(node, h);
  }

  /** Appends all of `from` to `to`; `from` becomes empty. */
  listMerge(from: number, to: number): void {
    if (this.listIsEmpty(from)) return;
    const tail = this.gcPrev[to] as number;
    const first = this.gcNext[from] as number;
    const last = this.gcPrev[from] as number;
    this.gcNext[tail] = first;
    this.gcPrev[first] = tail;
    this.gcNext[last] = to;
    this.gcPrev[to] = last;
    this.listInit(from);
  }

  listSize(h: number): number {
    let n = 0;
    for (let g = this.gcNext[h] as number; g !== h; g = this.gcNext[g] as number) n++;
    return n;
  }

  listToArray(h: number): ObjId[] {
    const out: ObjId[] = [];
    for (let g = this.gcNext[h] as number; g !== h; g = this.gcNext[g] as number) out.push(g);
    return out;
  }

  private reserveEdges(n: number): number {
    if (this.edgeTop + n > this.edges.length) {
      if (this.edgeWaste > this.edgeTop >> 1) this.compactEdges();
      if (this.edgeTop + n > this.edges.length) {
        let size = this.edges.length * 2;
        while (size < this.edgeTop + n) size *= 2;
        const e = new Int32Array(size);
        e.set(this.edges.subarray(0, this.edgeTop));
        this.edges = e;
      }
    }
    const start = this.edgeTop;
    this.edgeTop += n;
    return start;
  }

  /** Packs every live object's edge slice to the front of the pool. */
  private compactEdges(): void {
    const fresh = new Int32Array(this.edges.length);
    let at = 0;
    for (let id = FIRST_OBJECT; id < this.top; id++) {
      const cap = this.edgeCap[id] as number;
      if (cap === 0) continue;
      const s = this.edgeStart[id] as number;
      fresh.set(this.edges.subarray(s, s + (this.edgeLen[id] as number)), at);
      this.edgeStart[id] = at;
      at += cap;
    }
    this.edges = fresh;
    this.edgeTop = at;
    this.edgeWaste = 0;
  }

  private grow(n: number): void {
    if (n > 0x7fffffff) throw new SimError("space-full", "ObjectSpace.grow: too many objects");
    const g8 = (a: Uint8Array) => {
      const b = new Uint8Array(n);
      b.set(a);
      return b;
    };
    const g32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    const g64 = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.kind = g8(this.kind);
    this.flags = g8(this.flags);
    this.refcnt = g32(this.refcnt);
    this.gcRefs = g32(this.gcRefs);
    this.gcNext = g32(this.gcNext);
    this.gcPrev = g32(this.gcPrev);
    this.aux = g32(this.aux);
    this.count = g32(this.count);
    this.edgeStart = g32(this.edgeStart);
    this.edgeLen = g32(this.edgeLen);
    this.edgeCap = g32(this.edgeCap);
    this.addr = g64(this.addr);
    this.bytes = g32(this.bytes);
    this.addr2 = g64(this.addr2);
    this.bytes2 = g32(this.bytes2);
    this.cap = n;
  }
}
