import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Rewindable, Timeline } from "./checkpoints.js";

/** A deterministic machine whose state after n steps is known independently. */
class Mixer implements Rewindable<{ n: number; x: number }> {
  n = 0;
  x = 1;
  restores = 0;
  constructor(private readonly steps: number) {}
  step(): boolean {
    if (this.n >= this.steps) return false;
    this.n++;
    this.x = Math.imul(this.x ^ (this.x >>> 15), 0x2c1b3c6d) + this.n;
    return true;
  }
  snapshot() {
    return { n: this.n, x: this.x };
  }
  restore(state: { n: number; x: number }): void {
    this.n = state.n;
    this.x = state.x;
    this.restores++;
  }
}

function stateAfter(steps: number): number {
  const m = new Mixer(steps);
  while (m.step()) {}
  return m.x;
}

describe("Timeline", () => {
  it("reaches the same state by seeking as by running straight there", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.array(fc.integer({ min: 0, max: 3200 })),
        (len, targets) => {
          const machine = new Mixer(len);
          const timeline = new Timeline(machine, { interval: 16, maxCheckpoints: 8 });
          timeline.runToEnd();
          expect(timeline.length).toBe(len);
          for (const t of targets) {
            const reached = timeline.seek(t);
            expect(reached).toBe(Math.min(t, len));
            expect(machine.n).toBe(reached);
            expect(machine.x).toBe(stateAfter(reached));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("keeps the checkpoint count bounded and the replay short on a long run", () => {
    const machine = new Mixer(1_000_000);
    const timeline = new Timeline(machine, { interval: 64, maxCheckpoints: 256 });
    timeline.runToEnd();
    expect(timeline.checkpointCount).toBeLessThanOrEqual(256);
    expect(timeline.checkpointCount).toBeGreaterThanOrEqual(128);
    expect(timeline.checkpointInterval).toBeLessThanOrEqual((2 * 1_000_000) / 256 + 64);
    let replayed = 0;
    const original = machine.step.bind(machine);
    machine.step = () => {
      replayed++;
      return original();
    };
    timeline.seek(999_999);
    timeline.seek(3);
    timeline.seek(500_001);
    expect(replayed).toBeLessThanOrEqual(3 * timeline.checkpointInterval);
    expect(machine.x).toBe(stateAfter(500_001));
  });

  it("steps forward from the current position without restoring", () => {
    const machine = new Mixer(100);
    const timeline = new Timeline(machine);
    timeline.seek(10);
    timeline.seek(11);
    expect(machine.restores).toBe(0);
    timeline.seek(5);
    expect(machine.restores).toBe(1);
    expect(timeline.forward()).toBe(true);
    expect(timeline.position).toBe(6);
  });

  it("stops at the end of the run", () => {
    const timeline = new Timeline(new Mixer(3));
    expect(timeline.seek(10)).toBe(3);
    expect(timeline.complete).toBe(true);
    expect(timeline.forward()).toBe(false);
    expect(timeline.position).toBe(3);
  });
});
