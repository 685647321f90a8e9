import { describe, expect, it } from "vitest";
import { policyContract, simulate } from "./policy.contract.js";
import { createPolicy, POLICY_NAMES, resolvePolicyName } from "./registry.js";

for (const name of POLICY_NAMES) policyContract(name);

const BELADY = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5];

describe("golden numbers", () => {
  it("Belady's string: FIFO faults 9 times with 3 frames and 10 with 4", () => {
    expect(simulate("fifo", 3, BELADY).sim.misses).toBe(9);
    expect(simulate("fifo", 4, BELADY).sim.misses).toBe(10);
  });
  it("Belady's string: LRU faults 10 with 3 frames and 8 with 4 (no anomaly)", () => {
    expect(simulate("lru", 3, BELADY).sim.misses).toBe(10);
    expect(simulate("lru", 4, BELADY).sim.misses).toBe(8);
  });
});

describe("registry", () => {
  it("resolves names case-insensitively and through aliases", () => {
    expect(resolvePolicyName("LRU")).toBe("lru");
    expect(resolvePolicyName("second-chance")).toBe("clock");
    expect(resolvePolicyName("nope")).toBeUndefined();
  });
  it("refuses unknown names and bad capacities", () => {
    expect(() => createPolicy("nope", { capacity: 4 })).toThrow(/unknown replacement policy/);
    expect(() => createPolicy("lru", { capacity: 0 })).toThrow(/positive integer/);
  });
});
