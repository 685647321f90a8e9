import { DeallocHeap } from "./dealloc.js";
import { PyException } from "./errors.js";
import { TUPLE_MAXSAVESIZE, UNICODE_KEYS, USED_MASK } from "./heap.js";
import { hashKey } from "./keys.js";
import {
  dictKeysBytes,
  dictLog2KeySize,
  dictUsable,
  listExactCapacity,
  listGrowCapacity,
  SIZEOF_EMPTY_DICT,
  SIZEOF_EMPTY_LIST,
  SIZEOF_EMPTY_SET,
  setTableSize,
  sizeofTuple,
} from "./sizes.js";
import { F_TRACKED, Kind, NULL_REF, type ObjId } from "./space.js";

/** Tuple, list, dict and set operations over the object table (see the file comment). */
export abstract class ContainerHeap extends DeallocHeap {
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

  protected listIndex(l: ObjId, i: number): number {
    const n = this.space.edgeLen[l]!;
    const idx = i < 0 ? i + n : i;
    if (idx < 0 || idx >= n) throw new PyException("IndexError", "list index out of range");
    return idx;
  }

  /** MAINTAIN_TRACKING: an untracked dict starts being tracked once it holds a container. */
  protected maintainDictTracking(d: ObjId, key: ObjId, value: ObjId): void {
    if ((this.space.flags[d]! & F_TRACKED) !== 0) return;
    if (this.mayBeTracked(key) || this.mayBeTracked(value)) this.track(d);
  }

  /** dictresize: new key table of 2^log2 slots, entries compacted (dummies dropped). */
  protected dictResize(d: ObjId, log2: number, unicode: boolean): void {
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

  protected setResize(o: ObjId, size: number): void {
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
}
