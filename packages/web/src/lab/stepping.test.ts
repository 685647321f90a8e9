import { describe, expect, it } from "vitest";
import type { StepAction } from "./keys.js";
import { applyStepAction, latestSeeker } from "./stepping.js";

function move(action: StepAction, step: number, length: number): string {
  let out = "none";
  applyStepAction(
    action,
    { step, length },
    (s) => {
      out = `seek ${s}`;
    },
    (d) => {
      out = `jump ${d}`;
    },
  );
  return out;
}

describe("applyStepAction", () => {
  it("clamps forward and back to 0..length", () => {
    expect(move("forward", 3, 10)).toBe("seek 4");
    expect(move("forward", 10, 10)).toBe("seek 10");
    expect(move("back", 3, 10)).toBe("seek 2");
    expect(move("back", 0, 10)).toBe("seek 0");
  });
  it("start and end seek to the ends; breakpoints jump by direction; play is the view's", () => {
    expect(move("start", 5, 10)).toBe("seek 0");
    expect(move("end", 5, 10)).toBe("seek 10");
    expect(move("next-break", 5, 10)).toBe("jump 1");
    expect(move("previous-break", 5, 10)).toBe("jump -1");
    expect(move("play", 5, 10)).toBe("none");
  });
});

describe("latestSeeker", () => {
  it("shows the first request, then only the latest of those made meanwhile", async () => {
    const shown: number[] = [];
    let release: () => void = () => {};
    const seek = latestSeeker(
      (step) => {
        shown.push(step);
        return step === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve();
      },
      () => {},
    );
    const first = seek(1);
    void seek(2);
    void seek(3);
    release();
    await first;
    expect(shown).toEqual([1, 3]);
  });
  it("reports a failure and accepts requests again afterwards", async () => {
    const problems: string[] = [];
    const shown: number[] = [];
    const seek = latestSeeker(
      async (step) => {
        if (step === 1) throw new Error("engine gone");
        shown.push(step);
      },
      (m) => problems.push(m),
    );
    await seek(1);
    await seek(2);
    expect(problems).toEqual(["engine gone"]);
    expect(shown).toEqual([2]);
  });
});

describe("latestSeeker.heading", () => {
  it("is the step asked for while it is not shown yet, so relative moves add up", async () => {
    let release: () => void = () => {};
    const seek = latestSeeker(
      () => new Promise<void>((r) => (release = r)),
      () => {},
    );
    expect(seek.heading()).toBeNull();
    const first = seek(12);
    expect(seek.heading()).toBe(12);
    // A second "back" press before step 12 is on screen starts from 12, not from the old step.
    let next = -1;
    applyStepAction(
      "back",
      { step: seek.heading() ?? 13, length: 100 },
      (s) => (next = s),
      () => {},
    );
    expect(next).toBe(11);
    void seek(next);
    expect(seek.heading()).toBe(11);
    release();
    await Promise.resolve();
    release();
    await first;
    expect(seek.heading()).toBeNull();
  });
});
