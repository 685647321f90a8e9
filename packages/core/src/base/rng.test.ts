import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PyRandom } from "./pyrandom.js";
import { FastRng } from "./rng.js";

describe("PyRandom matches CPython's random module", () => {
  it("seed 0", () => {
    const r = new PyRandom(0);
    expect([r.random(), r.random(), r.random()]).toEqual([
      0.8444218515250481, 0.7579544029403025, 0.420571580830845,
    ]);
  });
  it("seed 42", () => {
    const r = new PyRandom(42);
    expect([r.random(), r.random()]).toEqual([0.6394267984578837, 0.025010755222666936]);
  });
  it("seed 2**40+7 uses two key words", () => {
    expect(new PyRandom(2n ** 40n + 7n).random()).toBe(0.6137037779936511);
    expect(new PyRandom(2 ** 40 + 7).random()).toBe(0.6137037779936511);
  });
  it("negative seeds use abs(seed)", () => {
    expect(new PyRandom(-42).random()).toBe(0.6394267984578837);
  });
  it("save/load resumes the same sequence", () => {
    const r = new PyRandom(7);
    for (let i = 0; i < 700; i++) r.random();
    const s = r.save();
    const a = [r.random(), r.random()];
    const q = new PyRandom(1);
    q.load(s);
    expect([q.random(), q.random()]).toEqual(a);
  });
});

describe("FastRng", () => {
  it("is deterministic per seed and stays in [0,1)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        const a = new FastRng(seed);
        const b = new FastRng(seed);
        for (let i = 0; i < 50; i++) {
          const x = a.random();
          expect(x).toBe(b.random());
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
        }
      }),
    );
  });
  it("below(n) covers every value", () => {
    const r = new FastRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(r.below(10));
    expect(seen.size).toBe(10);
  });
  it("save/load resumes", () => {
    const r = new FastRng(9);
    r.random();
    const s = r.save();
    const x = r.random();
    const q = new FastRng(0);
    q.load(s);
    expect(q.random()).toBe(x);
  });
});
