import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generational } from "./generational.js";
import { graphFromLists, graphFromRuntime, type HeapGraph, whyAlive, whyAliveObject } from "./graph.js";
import { PyRuntime } from "./runtime.js";
import { markCompact, markSweep, semispace } from "./tracing.js";

/** Plainly written reachability: repeat until nothing changes. */
function reference(g: HeapGraph): number[] {
  const live = new Set<number>(g.roots);
  let changed = true;
  while (changed) {
    changed = false;
    for (const o of [...live]) {
      for (let i = g.edgeStart[o]!; i < g.edgeStart[o + 1]!; i++) {
        if (!live.has(g.edges[i]!)) {
          live.add(g.edges[i]!);
          changed = true;
        }
      }
    }
  }
  return [...live].sort((a, b) => a - b);
}

const liveList = (live: Uint8Array) => [...live].flatMap((v, i) => (v === 1 ? [i] : []));

const arbGraph = fc.integer({ min: 1, max: 60 }).chain((n) =>
  fc.record({
    sizes: fc.array(fc.integer({ min: 16, max: 600 }), { minLength: n, maxLength: n }),
    refs: fc.array(fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 4 }), {
      minLength: n,
      maxLength: n,
    }),
    roots: fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 5 }),
  }),
);

describe("tracing collectors", () => {
  it("all collectors agree with plain reachability on random graphs", () => {
    fc.assert(
      fc.property(arbGraph, fc.integer({ min: 64, max: 4096 }), ({ sizes, refs, roots }, nursery) => {
        const g = graphFromLists(sizes, refs, roots);
        const want = reference(g);
        for (const r of [
          markSweep(g),
          markCompact(g),
          semispace(g),
          generational(g, { nurseryBytes: nursery }),
        ]) {
          expect(liveList(r.live)).toEqual(want);
          expect(r.liveObjects + r.freedObjects).toBe(g.n);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("mark-compact slides survivors down in order with no holes; semispace copies breadth-first", () => {
    // 0 → 1, 2 dead, 3 → 0 (root 3)
    const g = graphFromLists([32, 32, 64, 16], [[1], [], [], [0]], [3]);
    const ms = markSweep(g);
    expect([...ms.addressAfter]).toEqual([0, 32, -1, 128]);
    expect(ms.fragmentation).toBe(0);
    const mc = markCompact(g);
    expect([...mc.addressAfter]).toEqual([0, 32, -1, 64]);
    expect(mc.fragmentation).toBe(0);
    const ss = semispace(g);
    expect([...ss.addressAfter]).toEqual([16, 48, -1, 0]);
    expect(ss.heapBytes).toBe(2 * 144);
    // two separate holes: fragmentation 1 - 64/96
    const h = graphFromLists([32, 64, 32, 32, 16], [[], [], [], [], []], [0, 2, 4]);
    expect(markSweep(h).fragmentation).toBeCloseTo(1 - 64 / 96);
  });

  it("generational: the write barrier remembers old → young stores; garbage gets tenured", () => {
    // node 0 is old by the time 5 is stored into it
    const sizes = Array(8).fill(32);
    const refs = [[5], [], [], [], [], [], [], []];
    const r = generational(graphFromLists(sizes, refs, [0]), { nurseryBytes: 64 });
    expect(r.generational.barrierHits).toBe(1);
    expect(liveList(r.live)).toEqual([0, 5]);
    expect(r.pauses.at(-1)?.kind).toBe("full");
    expect(r.generational.minorCollections).toBeGreaterThan(1);
  });

  it("why is this alive: the shortest path from a named root", () => {
    const rt = new PyRuntime();
    const A = rt.newClass({ name: "A" });
    const a = rt.newInstance(A);
    const l = rt.newList();
    const b = rt.newInstance(A);
    rt.setAttr(a, "items", l);
    rt.listAppend(l, b);
    rt.decref(l);
    rt.decref(b);
    rt.assign("root", a);
    rt.decref(A);
    const why = whyAliveObject(rt, b);
    expect(why).toEqual({ root: "root", path: [a, l, b] });
    const g = graphFromLists([16, 16, 16], [[1], [], []], [0]);
    expect(whyAlive(g, 2)).toBeNull();
  });
});

describe("the cycle collector against reachability (random object graphs)", () => {
  it("after a full collection no unreachable object survives and no reachable one is freed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }).chain((n) =>
          fc.record({
            kinds: fc.array(fc.constantFrom("list", "inst", "dict", "tuple"), { minLength: n, maxLength: n }),
            refs: fc.array(fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }), {
              minLength: n,
              maxLength: n,
            }),
            roots: fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }),
          }),
        ),
        ({ kinds, refs, roots }) => {
          const rt = new PyRuntime();
          rt.gc.disable();
          const A = rt.newClass({ name: "A" });
          rt.assign("A", A);
          const objs = kinds.map((k) =>
            k === "list" ? rt.newList() : k === "inst" ? rt.newInstance(A) : k === "dict" ? rt.newDict() : -1,
          );
          // tuples are immutable: build them last, from what exists
          kinds.forEach((k, i) => {
            if (k === "tuple")
              objs[i] = rt.newTuple((refs[i] ?? []).map((t) => objs[t]!).filter((o) => o >= 0));
          });
          kinds.forEach((k, i) => {
            const o = objs[i]!;
            (refs[i] ?? []).forEach((t, j) => {
              const target = objs[t]!;
              if (target < 0) return;
              if (k === "list") rt.listAppend(o, target);
              if (k === "inst") rt.setAttr(o, `f${j}`, target);
              if (k === "dict") rt.dictSetStr(o, `k${j}`, target);
            });
          });
          roots.forEach((r, i) => {
            rt.incref(objs[r]!);
            rt.assign(`g${i}`, objs[r]!);
          });
          const g = graphFromRuntime(rt);
          const node = new Map<number, number>();
          g.ids.forEach((o, i) => {
            node.set(o, i);
          });
          const before = objs.map((o) => node.get(o)!);
          for (const o of objs) rt.decref(o);
          const rootNodes = [...rt.names.values()].map((o) => node.get(o)!);
          const reachable = new Set(reference({ ...g, roots: Int32Array.from(rootNodes) }));
          const tracing = markSweep({ ...g, roots: Int32Array.from(rootNodes) });
          rt.gc.collect();
          const tracked = rt.gc.getObjects();
          expect(rt.trackedTuples).toBe(tracked.filter((o) => rt.space.kind[o] === 7).length);
          expect(rt.trackedDicts).toBe(tracked.filter((o) => rt.space.kind[o] === 9).length);
          // every refcount is exactly the references held by objects, names and the runtime
          const s = rt.space;
          const held = new Map<number, number>();
          for (let o = 0; o < s.top; o++) {
            if (!s.isLive(o)) continue;
            for (const t of s.referents(o)) held.set(t, (held.get(t) ?? 0) + 1);
          }
          for (const o of rt.names.values()) held.set(o, (held.get(o) ?? 0) + 1);
          for (let o = 0; o < s.top; o++) {
            if (!s.isLive(o)) continue;
            const own = (s.flags[o]! & 16) !== 0 ? 1 : 0; // static objects: the runtime's reference
            expect(s.refcnt[o]).toBe((held.get(o) ?? 0) + own);
          }
          objs.forEach((o, i) => {
            const alive = rt.space.isLive(o);
            expect(alive).toBe(reachable.has(before[i]!));
            expect(tracing.live[before[i]!] === 1).toBe(alive);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("finalizers, resurrection and weakrefs on random graphs", () => {
  it("after a full collection exactly the objects reachable from names are alive, refcounts exact", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }).chain((n) =>
          fc.record({
            kinds: fc.array(fc.constantFrom("plain", "del", "resurrect", "list"), {
              minLength: n,
              maxLength: n,
            }),
            refs: fc.array(fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }), {
              minLength: n,
              maxLength: n,
            }),
            weak: fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 4 }),
            roots: fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 2 }),
          }),
        ),
        ({ kinds, refs, weak, roots }) => {
          const rt = new PyRuntime();
          rt.gc.disable();
          const saved = rt.newList();
          rt.assign("saved", saved);
          const calls: number[] = [];
          const Plain = rt.newClass({ name: "Plain" });
          const Del = rt.newClass({ name: "Del", del: () => undefined });
          const Res = rt.newClass({ name: "Res", del: (r, self) => r.listAppend(saved, self) });
          for (const [name, c] of [
            ["Plain", Plain],
            ["Del", Del],
            ["Res", Res],
          ] as const)
            rt.assign(name, c);
          const objs = kinds.map((k) =>
            k === "list" ? rt.newList() : rt.newInstance(k === "del" ? Del : k === "resurrect" ? Res : Plain),
          );
          kinds.forEach((k, i) => {
            (refs[i] ?? []).forEach((t, j) => {
              if (k === "list") rt.listAppend(objs[i]!, objs[t]!);
              else rt.setAttr(objs[i]!, `f${j}`, objs[t]!);
            });
          });
          weak.forEach((t, i) => {
            if (kinds[t] === "list") return;
            const cb = rt.newFunction(`cb${i}`, () => calls.push(i));
            rt.assign(`w${i}`, rt.newWeakref(objs[t]!, cb));
            rt.decref(cb);
          });
          roots.forEach((r, i) => {
            rt.incref(objs[r]!);
            rt.assign(`g${i}`, objs[r]!);
          });
          for (const o of objs) rt.decref(o);
          rt.gc.collect();
          const g = graphFromRuntime(rt);
          const named = new Set([...rt.names.values()]);
          const rootNodes = [...g.ids].flatMap((o, i) => (named.has(o) ? [i] : []));
          expect(g.rootNames?.filter((r) => r === "<external>")).toEqual([]);
          const reach = new Set(reference({ ...g, roots: Int32Array.from(rootNodes) }).map((i) => g.ids[i]!));
          for (const o of g.ids) expect(reach.has(o)).toBe(true);
          expect(calls.length).toBeLessThanOrEqual(weak.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
