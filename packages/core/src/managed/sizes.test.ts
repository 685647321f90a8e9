import { describe, expect, it } from "vitest";
import { PyRuntime } from "./runtime.js";
import { dictLog2KeySize, listGrowCapacity, setTableSize, sizeofInt, sizeofStr } from "./sizes.js";

// Golden numbers measured with CPython 3.11.7 (64-bit Linux) `sys.getsizeof`.
describe("sys.getsizeof, CPython 3.11", () => {
  const rt = new PyRuntime();

  it("None, bool, float", () => {
    expect(rt.getsizeof(rt.None)).toBe(16);
    expect(rt.getsizeof(rt.True)).toBe(28);
    expect(rt.getsizeof(rt.False)).toBe(28);
    expect(rt.getsizeof(rt.newFloat(1.5))).toBe(24);
  });

  it("int with 30-bit digits", () => {
    const cases: [bigint, number][] = [
      [0n, 28],
      [1n, 28],
      [2n ** 30n - 1n, 28],
      [2n ** 30n, 32],
      [2n ** 60n - 1n, 32],
      [2n ** 60n, 36],
      [2n ** 90n, 40],
      [-1n, 28],
      [-(2n ** 30n), 32],
      [10n ** 100n, 72],
    ];
    for (const [v, size] of cases) {
      expect(sizeofInt(v)).toBe(size);
      expect(rt.getsizeof(rt.newInt(v))).toBe(size);
    }
  });

  it("str in its compact kinds", () => {
    const cases: [string, number][] = [
      ["", 49],
      ["a", 50],
      ["ab", 51],
      ["abc".repeat(10), 79],
      ["a".repeat(100), 149],
      ["é", 74],
      ["éé", 75],
      ["ā", 76],
      ["āā", 78],
      ["😀", 80],
      ["😀😀", 84],
    ];
    for (const [s, size] of cases) {
      expect(sizeofStr(s)).toBe(size);
      expect(rt.getsizeof(rt.newStr(s))).toBe(size);
    }
  });

  it("bytes and tuple", () => {
    expect([0, 1, 2, 100].map((n) => rt.getsizeof(rt.newBytes("x".repeat(n))))).toEqual([33, 34, 35, 133]);
    const one = rt.newInt(1);
    expect([0, 1, 2, 3].map((n) => rt.getsizeof(rt.newTuple(Array(n).fill(one))))).toEqual([40, 48, 56, 64]);
  });

  it("list literal, list(seq) and lists grown by append", () => {
    expect(rt.getsizeof(rt.newList())).toBe(56);
    const one = rt.newInt(1);
    expect(rt.getsizeof(rt.newListFrom([one, one, one]))).toBe(88); // [1, 2, 3]
    expect(rt.getsizeof(rt.newListFrom(Array(10).fill(one)))).toBe(136); // list(range(10))
    const golden = [
      56, 88, 88, 88, 88, 120, 120, 120, 120, 184, 184, 184, 184, 184, 184, 184, 184, 248, 248, 248, 248, 248,
      248, 248, 248, 312, 312, 312, 312, 312, 312, 312, 312, 376, 376, 376, 376, 376, 376, 376, 376, 472, 472,
      472, 472, 472, 472, 472, 472, 472, 472, 472, 472, 568, 568, 568, 568, 568, 568, 568, 568, 568, 568, 568,
      568, 664, 664, 664, 664, 664,
    ];
    const l = rt.newList();
    const got: number[] = [];
    for (let i = 0; i < golden.length; i++) {
      got.push(rt.getsizeof(l));
      rt.listAppend(l, one);
    }
    expect(got).toEqual(golden);
    expect(listGrowCapacity(0, 0, 1)).toBe(4);
  });

  it("lists shrink on del as list_resize does", () => {
    const one = rt.newInt(1);
    // l = list(range(100)); del l[-1] until empty → distinct sizes seen
    const l = rt.newListFrom(Array(100).fill(one));
    const seen = new Set<number>();
    while (rt.len(l) > 0) {
      seen.add(rt.getsizeof(l));
      rt.listDel(l, -1);
    }
    expect([...seen]).toEqual([856, 536, 344, 248, 184, 152, 120, 88]);
    // 20 appends, then del l[0] twenty times
    const m = rt.newList();
    for (let i = 0; i < 20; i++) rt.listAppend(m, one);
    const seq: number[] = [];
    for (let i = 0; i < 20; i++) {
      rt.listDel(m, 0);
      seq.push(rt.getsizeof(m));
    }
    expect(seq).toEqual([
      248, 248, 248, 248, 248, 248, 248, 248, 184, 184, 184, 184, 152, 152, 120, 120, 120, 120, 88, 56,
    ]);
  });

  it("dict key tables (3.11): str keys, int keys, mixed, after deletes", () => {
    const intKeys = [
      64, 224, 224, 224, 224, 224, 352, 352, 352, 352, 352, 632, 632, 632, 632, 632, 632, 632, 632, 632, 632,
      632, 1168, 1168, 1168, 1168, 1168, 1168, 1168, 1168, 1168, 1168, 1168, 1168, 1168, 1168, 1168, 1168,
      1168, 1168, 1168, 1168, 1168, 2264, 2264, 2264, 2264, 2264, 2264, 2264,
    ];
    const strKeys = [
      64, 184, 184, 184, 184, 184, 272, 272, 272, 272, 272, 464, 464, 464, 464, 464, 464, 464, 464, 464, 464,
      464, 832, 832, 832, 832, 832, 832, 832, 832, 832, 832, 832, 832, 832, 832, 832, 832, 832, 832, 832, 832,
      832, 1584, 1584, 1584, 1584, 1584, 1584, 1584,
    ];
    const grow = (key: (i: number) => number) => {
      const d = rt.newDict();
      const out: number[] = [];
      for (let i = 0; i < 50; i++) {
        out.push(rt.getsizeof(d));
        const k = key(i);
        rt.dictSet(d, k, k);
      }
      return out;
    };
    expect(grow((i) => rt.newInt(i))).toEqual(intKeys);
    expect(grow((i) => rt.newStr(`k${i}`))).toEqual(strKeys);
    // d = {'a': 1}; d[1] = 2  → the str table converts to a general one of 16 slots
    const d = rt.newDict();
    rt.dictSet(d, rt.newStr("a"), rt.newInt(1));
    expect(rt.getsizeof(d)).toBe(184);
    rt.dictSet(d, rt.newInt(1), rt.newInt(2));
    expect(rt.getsizeof(d)).toBe(352);
    // five str keys inserted then deleted, then one more: the table is rebuilt at 8 slots
    const e = rt.newDict();
    const keys = [0, 1, 2, 3, 4].map((i) => rt.newStr(`k${i}`));
    for (const k of keys) rt.dictSet(e, k, rt.None);
    for (const k of keys) rt.dictDel(e, k);
    rt.dictSet(e, rt.newStr("z"), rt.None);
    expect(rt.getsizeof(e)).toBe(184);
    // three rounds of 5 inserts and 5 deletes: the 8-slot table is rebuilt, never grown
    const churn = rt.newDict();
    const seen: number[] = [];
    for (let r = 0; r < 3; r++) {
      const ks = [0, 1, 2, 3, 4].map((i) => rt.newStr(`k${r}_${i}`));
      for (const k of ks) {
        rt.dictSet(churn, k, rt.None);
        seen.push(rt.getsizeof(churn));
      }
      for (const k of ks) rt.dictDel(churn, k);
    }
    expect(seen).toEqual(Array(15).fill(184));
    expect(dictLog2KeySize(0)).toBe(3);
    expect(dictLog2KeySize(3)).toBe(4);
  });

  it("set tables", () => {
    const grown: number[] = [];
    const s = rt.newSet();
    for (let i = 0; i < 40; i++) {
      grown.push(rt.getsizeof(s));
      rt.setAdd(s, rt.newInt(i));
    }
    const golden = [...Array(5).fill(216), ...Array(14).fill(728), ...Array(21).fill(2264)];
    expect(grown).toEqual(golden);
    const sizes = [0, 4, 5, 18, 19, 20, 76, 77, 100].map((n) =>
      rt.getsizeof(rt.newSet(Array.from({ length: n }, (_, i) => rt.newInt(i)))),
    );
    expect(sizes).toEqual([216, 216, 728, 728, 2264, 2264, 2264, 8408, 8408]);
    expect(setTableSize(20)).toBe(32);
  });

  it("function, class, instances with and without __dict__/__slots__, weakref", () => {
    const A = rt.newClass({ name: "A" });
    const S = rt.newClass({ name: "S", slots: ["a", "b"] });
    const S0 = rt.newClass({ name: "S0", slots: [] });
    const S1 = rt.newClass({ name: "S1", slots: ["a"] });
    const W = rt.newClass({ name: "W", slots: ["a"], weakrefSlot: true });
    const a = rt.newInstance(A);
    expect(rt.getsizeof(a)).toBe(56);
    rt.setAttr(a, "x", rt.None);
    expect(rt.getsizeof(a)).toBe(56);
    expect(rt.getsizeof(rt.newInstance(S))).toBe(48);
    expect(rt.getsizeof(rt.newInstance(S0))).toBe(32);
    expect(rt.getsizeof(rt.newInstance(S1))).toBe(40);
    expect(rt.getsizeof(rt.newInstance(W))).toBe(48);
    expect(rt.getsizeof(rt.newFunction("f"))).toBe(152);
    expect(rt.getsizeof(A)).toBe(1688);
    expect(rt.getsizeof(S)).toBe(920);
    expect(rt.getsizeof(rt.newWeakref(a))).toBe(80);
  });
});
