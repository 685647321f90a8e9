import { describe, expect, it } from "vitest";
import type { EventRow } from "../worker/protocol.js";
import { faultQuestion, gradeFault } from "./predict-fault.js";

const cowRow: EventRow = {
  step: 7,
  kind: "fault",
  line: 5,
  sentence:
    "B wrote at 0x1000: page 0x1 is shared copy-on-write, a protection fault the kernel resolves (copy).",
  fault: { kind: "cow", who: "B", va: 0x1000, access: "write", answer: "B: cow fault on write of 0x1000." },
};

describe("predict mode for faults", () => {
  it("asks without telling the answer", () => {
    const q = faultQuestion(cowRow)!;
    expect(q).toBe("B writes at 0x1000 and the MMU raises a page fault. What kind of fault is it?");
    expect(q).not.toContain("cow");
    expect(faultQuestion({ step: 1, kind: "spawn", line: 1, sentence: "x" })).toBeNull();
  });

  it("grades against the engine's classification and explains it", () => {
    expect(gradeFault(cowRow, "cow")).toEqual({
      correct: true,
      explanation: `Right. B: cow fault on write of 0x1000. A copy-on-write fault is a write to a page shared since fork: the kernel copies it (or, for the last sharer, just makes it writable).`,
    });
    const wrong = gradeFault(cowRow, "minor");
    expect(wrong.correct).toBe(false);
    expect(wrong.explanation.startsWith("Not quite: it was cow.")).toBe(true);
  });
});
