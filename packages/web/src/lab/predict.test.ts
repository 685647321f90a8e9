import { createPolicy } from "@memsim/core";
import { describe, expect, it } from "vitest";
import { recordGrid } from "../engine/replacement-grid.js";
import { gradeReplacement, needsVictim } from "./predict.js";

const BELADY = Float64Array.from([1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]);
const lru = recordGrid("lru", (n, capacity) => createPolicy(n, { capacity }), BELADY, 3);

describe("predict mode for replacement", () => {
  it("accepts the right outcome and victim and explains the rule", () => {
    expect(needsVictim(lru, 3)).toBe(true);
    const grade = gradeReplacement(lru, BELADY, 3, { outcome: "miss", victim: 0 });
    expect(grade.correct).toBe(true);
    expect(grade.explanation).toBe(
      "Right. LRU: page 4 is not resident, a miss; LRU chose frame 0 and evicted page 1. LRU evicts the page whose last use is oldest.",
    );
  });

  it("rejects a wrong victim or a wrong outcome", () => {
    expect(gradeReplacement(lru, BELADY, 3, { outcome: "miss", victim: 2 }).correct).toBe(false);
    expect(gradeReplacement(lru, BELADY, 3, { outcome: "hit" }).correct).toBe(false);
    expect(gradeReplacement(lru, BELADY, 0, { outcome: "miss" }).correct).toBe(true);
  });

  it("grades a hit without asking for a victim", () => {
    const t = Array.from(lru.hit).indexOf(1);
    expect(gradeReplacement(lru, BELADY, t, { outcome: "hit" })).toMatchObject({ correct: true });
    expect(gradeReplacement(lru, BELADY, t, { outcome: "miss", victim: 1 }).explanation).toMatch(
      /^Not quite\. LRU: page \d is resident, a hit\.$/,
    );
  });
});
