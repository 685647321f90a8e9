/**
 * CPython 3.11 (64-bit) object sizes, as `sys.getsizeof` reports them, and the growth rules
 * of the variable-size containers (list over-allocation, dict key tables, set tables).
 *
 * `sys.getsizeof(o)` is `o.__sizeof__()` plus the pre-header in front of the object: the
 * 16-byte `PyGC_Head` for collectable types, and 16 more bytes for the managed-dict pointers
 * of 3.11 instances (`_PyType_PreHeaderSize`). Sources: Objects/longobject.c (int_sizeof),
 * unicodeobject.c (compact layouts), listobject.c (list_resize), dictobject.c
 * (calculate_log2_keysize, GROWTH_RATE, _PyDict_KeysSize), setobject.c (set_table_resize).
 */

/** Size of `PyGC_Head` (two pointers) in front of every collectable object. */
export const GC_HEAD_SIZE = 16;
/** The 3.11 managed-dict pre-header (dict pointer + values pointer) of plain instances. */
export const MANAGED_DICT_PREHEADER = 16;
/** Bits per int digit on 64-bit builds. */
export const PYLONG_SHIFT = 30;

/** Fixed `sys.getsizeof` values (3.11, 64-bit; measured). */
export const SIZEOF_NONE = 16;
export const SIZEOF_FLOAT = 24;
export const SIZEOF_EMPTY_LIST = 56;
export const SIZEOF_EMPTY_DICT = 64;
export const SIZEOF_EMPTY_SET = 216;
export const SIZEOF_FUNCTION = 152;
export const SIZEOF_WEAKREF = 80;
/** A class statement without `__slots__` (heap type plus its cached shared keys). */
export const SIZEOF_CLASS = 1688;
/** A class statement with `__slots__` (no cached keys). */
export const SIZEOF_SLOTS_CLASS = 920;
/**
 * An instance's materialized `__dict__`: a split table (48 + GC head + 29 value slots), as
 * measured for the first instance of a class (CPython's figure then drops 8 bytes for each
 * further instance created; not modelled).
 */
export const SIZEOF_SPLIT_DICT = 296;
/** 3.11 instance of a plain class: 16 header + 8 weakref slot + 16 GC head + 16 managed dict. */
export const SIZEOF_INSTANCE = 56;
/** Bytes of the inline values array of a plain instance (prefix + 30 shared-key slots). */
export const INSTANCE_VALUES_BYTES = 32 + 30 * 8;

/** Number of 30-bit digits CPython stores for `v` (0 has none). */
export function intDigits(v: bigint): number {
  let a = v < 0n ? -v : v;
  let n = 0;
  while (a > 0n) {
    a >>= 30n;
    n++;
  }
  return n;
}

/** `sys.getsizeof(int)`: 24 + 4 per digit, at least one digit (bool is an int: 28). */
export function sizeofInt(v: bigint): number {
  return 24 + 4 * Math.max(1, intDigits(v));
}

/** The narrowest compact representation of a str: 1 (ASCII or latin-1), 2 (UCS-2) or 4 (UCS-4). */
export function strKind(s: string): {
  readonly ascii: boolean;
  readonly charSize: 1 | 2 | 4;
  readonly length: number;
} {
  let max = 0;
  let length = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp > max) max = cp;
    length++;
  }
  const charSize = max < 256 ? 1 : max < 65536 ? 2 : 4;
  return { ascii: max < 128, charSize, length };
}

/** `sys.getsizeof(str)`: compact ASCII 48 + len + 1; other compact kinds 72 + (len + 1) * width. */
export function sizeofStr(s: string): number {
  const k = strKind(s);
  return k.ascii ? 48 + k.length + 1 : 72 + (k.length + 1) * k.charSize;
}

/** `sys.getsizeof(bytes)`: 32-byte header plus the bytes plus a trailing NUL. */
export function sizeofBytes(length: number): number {
  return 33 + length;
}

/** `sys.getsizeof(tuple)`: 24 header + 8 per item + GC head. */
export function sizeofTuple(n: number): number {
  return 24 + 8 * n + GC_HEAD_SIZE;
}

/** `sys.getsizeof(list)`: 40 header + GC head + 8 per *allocated* slot. */
export function sizeofList(allocated: number): number {
  return SIZEOF_EMPTY_LIST + 8 * allocated;
}

/**
 * list_resize's new capacity when a list of `allocated` slots must hold `newSize` items.
 * Returns `allocated` unchanged when no reallocation happens (the list still fits and is
 * at least half full). The over-allocation is newSize + newSize/8 + 6 rounded down to a
 * multiple of 4, or exactly newSize rounded up to 4 when that would not be enough.
 */
export function listGrowCapacity(allocated: number, size: number, newSize: number): number {
  if (allocated >= newSize && newSize >= allocated >> 1) return allocated;
  if (newSize === 0) return 0;
  let cap = (newSize + (newSize >> 3) + 6) & ~3;
  if (newSize - size > cap - newSize) cap = (newSize + 3) & ~3;
  return cap;
}

/** list_preallocate_exact (list(seq), literals of 3+ constants): n rounded up to even. */
export function listExactCapacity(n: number): number {
  return (n + 1) & ~1;
}

/** USABLE_FRACTION: how many entries a dict key table of `size` slots holds. */
export function dictUsable(size: number): number {
  return Math.floor((size << 1) / 3);
}

/**
 * calculate_log2_keysize(minsize) of 3.11: log2 of the table size chosen for `minsize`.
 * The `| PyDict_MINSIZE` makes every minsize from 1 to 15 pick 16 slots (0 picks 8), a quirk
 * visible when a str-keyed table converts to a general one (`d = {'a': 1}; d[1] = 2`).
 */
export function dictLog2KeySize(minsize: number): number {
  const m = ((minsize | 8) - 1) | 7;
  return 32 - Math.clz32(m);
}

/** Bytes of a 3.11 PyDictKeysObject with 2^log2 slots: header, index array, entries. */
export function dictKeysBytes(log2: number, unicode: boolean): number {
  const size = 2 ** log2;
  const indexWidth = log2 < 8 ? 1 : log2 < 16 ? 2 : log2 < 32 ? 4 : 8;
  return 32 + size * indexWidth + dictUsable(size) * (unicode ? 16 : 24);
}

/** `sys.getsizeof(dict)` for a combined table of 2^log2 slots (log2 0 = the shared empty keys). */
export function sizeofDict(log2: number, unicode: boolean): number {
  return log2 === 0 ? SIZEOF_EMPTY_DICT : SIZEOF_EMPTY_DICT + dictKeysBytes(log2, unicode);
}

/** set_table_resize: the table size for `minused` (smallest power of two above it, at least 8). */
export function setTableSize(minused: number): number {
  let n = 8;
  while (n <= minused) n <<= 1;
  return n;
}

/** `sys.getsizeof(set)`: 200-byte object with an inline 8-slot table, + 16 bytes per slot beyond. */
export function sizeofSet(tableSize: number): number {
  return SIZEOF_EMPTY_SET + (tableSize > 8 ? tableSize * 16 : 0);
}

/** `sys.getsizeof` of an instance of a class with `__slots__` (no `__dict__`). */
export function sizeofSlotsInstance(nslots: number, weakrefSlot: boolean): number {
  return 16 + 8 * nslots + (weakrefSlot ? 8 : 0) + GC_HEAD_SIZE;
}
