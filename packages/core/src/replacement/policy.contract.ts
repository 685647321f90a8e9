/**
 * The contract every replacement policy keeps, run by `policies.test.ts` for each name in
 * `POLICY_NAMES`. Known, explained gaps are listed in `GAPS`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FastRng } from "../base/rng.js";
import type { ReplacementPolicy } from "./policy.js";
import { isFutureAware } from "./policy.js";
import { createPolicy } from "./registry.js";
import { ReplacementSim } from "./sim.js";

/** Contract clauses a policy does not keep, with the reason. */
export const GAPS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ws: {
    "holds every page when memory suffices":
      "Working Set releases pages that leave the window τ even when frames are free; that is the policy.",
  },
};

/** Wraps a policy and checks the engine/policy protocol on every call. */
class CheckedPolicy implements ReplacementPolicy {
  readonly name: string;
  readonly capacity: number;
  readonly occupied: Uint8Array;
  private readonly inner: ReplacementPolicy;
  constructor(inner: ReplacementPolicy) {
    this.inner = inner;
    this.name = inner.name;
    this.capacity = inner.capacity;
    this.occupied = new Uint8Array(inner.capacity);
  }
  onHit(slot: number, write: boolean): void {
    expect(this.occupied[slot]).toBe(1);
    this.inner.onHit(slot, write);
  }
  onInsert(slot: number, key: number, write: boolean): void {
    expect(this.occupied[slot]).toBe(0);
    this.occupied[slot] = 1;
    this.inner.onInsert(slot, key, write);
  }
  evict(incoming?: number): number {
    const slot = this.inner.evict(incoming);
    expect(Number.isInteger(slot) && slot >= 0 && slot < this.capacity).toBe(true);
    expect(this.occupied[slot]).toBe(1);
    this.occupied[slot] = 0;
    return slot;
  }
  remove(slot: number): void {
    expect(this.occupied[slot]).toBe(1);
    this.occupied[slot] = 0;
    this.inner.remove(slot);
  }
}

/** Runs `keys` through `name` with `capacity` frames; returns the sim (OPT gets next uses). */
export function simulate(
  name: string,
  capacity: number,
  keys: readonly number[],
  writes?: readonly boolean[],
) {
  const policy = createPolicy(name, { capacity, seed: 7, window: 8 });
  const sim = new ReplacementSim(policy);
  const next = nextUses(keys);
  const outcomes: boolean[] = [];
  for (let i = 0; i < keys.length; i++) outcomes.push(sim.access(keys[i]!, writes?.[i] ?? false, next[i]!));
  return { sim, outcomes };
}

/** Each reference's next use (index of the same key's next reference, +Infinity if none). */
export function nextUses(keys: readonly number[]): number[] {
  const last = new Map<number, number>();
  const out = new Array<number>(keys.length);
  for (let i = keys.length - 1; i >= 0; i--) {
    out[i] = last.get(keys[i]!) ?? Number.POSITIVE_INFINITY;
    last.set(keys[i]!, i);
  }
  return out;
}

const traceArb = fc.array(fc.integer({ min: 0, max: 24 }), { minLength: 1, maxLength: 300 });

/** Declares the contract tests for one policy. */
export function policyContract(name: string): void {
  const gap = GAPS[name] ?? {};
  const clause = (title: string, fn: () => void) =>
    gap[title] === undefined ? it(title, fn) : it.skip(`${title} (gap: ${gap[title]})`, fn);

  describe(`policy contract: ${name}`, () => {
    clause("keeps the engine protocol: evicts only occupied slots, inserts only into empty ones", () => {
      fc.assert(
        fc.property(traceArb, fc.integer({ min: 1, max: 12 }), (keys, capacity) => {
          const checked = new CheckedPolicy(createPolicy(name, { capacity, seed: 3, window: 6 }));
          const sim = new ReplacementSim(checked);
          const next = nextUses(keys);
          keys.forEach((k, i) => {
            sim.access(k, i % 3 === 0, next[i]);
          });
          expect(sim.hits + sim.misses).toBe(keys.length);
          expect(sim.resident).toBeLessThanOrEqual(capacity);
        }),
        { numRuns: 60 },
      );
    });
    clause("a page referenced twice in a row hits the second time", () => {
      const { outcomes } = simulate(name, 3, [1, 2, 3, 4, 4, 5, 5]);
      expect(outcomes[4]).toBe(true);
      expect(outcomes[6]).toBe(true);
    });
    clause("holds every page when memory suffices", () => {
      const rng = new FastRng(11);
      const keys = Array.from({ length: 500 }, () => rng.below(20));
      const { sim } = simulate(name, 20, keys);
      expect(sim.misses).toBe(new Set(keys).size);
    });
    clause("counts a write-back for each dirty page evicted", () => {
      const keys = [1, 2, 3, 4, 5, 6, 7, 8];
      const writes = keys.map(() => true);
      const { sim } = simulate(name, 2, keys, writes);
      expect(sim.writebacks).toBe(sim.misses - sim.resident);
      const clean = simulate(name, 2, keys);
      expect(clean.sim.writebacks).toBe(0);
    });
    clause("is deterministic for the same input and seed", () => {
      const rng = new FastRng(5);
      const keys = Array.from({ length: 2000 }, () => rng.below(64));
      expect(simulate(name, 16, keys).outcomes).toEqual(simulate(name, 16, keys).outcomes);
    });
    clause("survives removals (munmap) between references", () => {
      fc.assert(
        fc.property(traceArb, fc.integer({ min: 1, max: 8 }), (keys, capacity) => {
          const checked = new CheckedPolicy(createPolicy(name, { capacity, seed: 3, window: 6 }));
          const sim = new ReplacementSim(checked);
          const next = nextUses(keys);
          keys.forEach((k, i) => {
            if (k % 5 === 0) sim.invalidate(k + 1);
            sim.access(k, false, next[i]);
          });
          expect(sim.resident).toBeLessThanOrEqual(capacity);
        }),
        { numRuns: 40 },
      );
    });
    it("is not FutureAware unless it is OPT", () => {
      expect(isFutureAware(createPolicy(name, { capacity: 4 }))).toBe(name === "opt");
    });
  });
}
