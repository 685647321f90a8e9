import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GhostList, type GhostMapOptions, GhostSet } from "./ghost.js";
import { PageMap } from "./page-map.js";

/**
 * The ways a ghost set is built: alone; with sequence numbers so short that they wrap and
 * stale entries are swept many times a run; sharing a map whose codes below the offset
 * belong to someone else (a resident page's slot, as the engine stores it); and over
 * large keys, which live in the map's hash part and are deleted at once.
 */
interface Variant {
  readonly name: string;
  readonly options: () => { options: GhostMapOptions; foreign?: PageMap };
  readonly key: (k: number) => number;
}
const VARIANTS: readonly Variant[] = [
  { name: "alone", options: () => ({ options: {} }), key: (k) => k },
  { name: "short sequence numbers", options: () => ({ options: { seqBits: 6 } }), key: (k) => k },
  {
    name: "sharing a map",
    options: () => {
      const map = new PageMap();
      // Keys 100.. hold codes of the map's owner: they must survive every operation.
      for (let k = 100; k < 110; k++) map.set(k, k - 100);
      return { options: { map, offset: 10, seqBits: 7 }, foreign: map };
    },
    key: (k) => k,
  },
  { name: "large keys", options: () => ({ options: { seqBits: 6 } }), key: (k) => 2 ** 40 + 4097 * k },
];

/** Keys are 0..KEYS: enough that some stay away long after being dropped. */
const KEYS = 40;

function foreignIntact(map: PageMap | undefined): void {
  if (map === undefined) return;
  for (let k = 100; k < 110; k++) expect(map.get(k)).toBe(k - 100);
}

describe.each(VARIANTS)("GhostList ($name)", ({ options, key: name }) => {
  it("behaves like a bounded FIFO of distinct keys with removal", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.array(
          fc.tuple(
            fc.constantFrom("push", "push", "push", "delete", "pop"),
            fc.integer({ min: 0, max: KEYS }),
          ),
          {
            maxLength: 600,
          },
        ),
        (limit, ops) => {
          const { options: o, foreign } = options();
          const g = new GhostList(limit, o);
          let model: number[] = [];
          for (const [op, k] of ops) {
            const key = name(k);
            if (op === "push") {
              if (model.includes(key)) continue; // precondition: absent
              g.push(key);
              if (limit > 0) {
                if (model.length >= limit) model.shift();
                model.push(key);
              }
            } else if (op === "delete") {
              expect(g.delete(key)).toBe(model.includes(key));
              model = model.filter((k) => k !== key);
            } else {
              expect(g.popOldest()).toBe(model.length > 0);
              model.shift();
            }
            expect(g.size).toBe(model.length);
            for (let k = 0; k <= KEYS; k++) expect(g.has(name(k))).toBe(model.includes(name(k)));
            foreignIntact(foreign);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe.each(VARIANTS)("GhostSet ($name)", ({ options, key: name }) => {
  it("behaves like bounded FIFOs of distinct keys sharing one key space", () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })),
        fc.array(
          fc.tuple(
            fc.constantFrom("push", "push", "push", "delete", "pop"),
            fc.integer({ min: 0, max: 1 }),
            fc.integer({ min: 0, max: KEYS }),
          ),
          { maxLength: 600 },
        ),
        ([l0, l1], ops) => {
          const limits = [l0, l1];
          const { options: o, foreign } = options();
          const g = new GhostSet(limits, 3, o);
          const model: number[][] = [[], []];
          const where = (k: number) => (model[0]!.includes(k) ? 0 : model[1]!.includes(k) ? 1 : -1);
          for (const [op, list, k] of ops) {
            const key = name(k);
            const m = model[list]!;
            if (op === "push") {
              if (where(key) >= 0) continue; // precondition: absent from every list
              g.push(list, key);
              if (limits[list]! > 0) {
                if (m.length >= limits[list]!) m.shift();
                m.push(key);
              }
            } else if (op === "delete") {
              const w = where(key);
              expect(g.delete(key)).toBe(w);
              if (w >= 0) model[w] = model[w]!.filter((k) => k !== key);
            } else {
              expect(g.popOldest(list)).toBe(m.length > 0);
              m.shift();
            }
            expect(g.size(0)).toBe(model[0]!.length);
            expect(g.size(1)).toBe(model[1]!.length);
            for (let k = 0; k <= KEYS; k++) expect(g.find(name(k))).toBe(where(name(k)));
            foreignIntact(foreign);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("GhostSet sequence numbers", () => {
  it("never finds a key dropped long ago, however often the numbers wrap", () => {
    for (const seqBits of [6, 7, 8]) {
      const g = new GhostList(4, { seqBits });
      g.push(10_000);
      for (let i = 0; i < 2000; i++) {
        g.push(i);
        expect(g.has(10_000)).toBe(i < 3);
        if (i >= 4) expect(g.has(i - 4)).toBe(false);
        expect(g.has(i)).toBe(true);
      }
    }
  });
});
