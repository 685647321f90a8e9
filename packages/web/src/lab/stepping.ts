/**
 * What the stepping views (machine, Python) share: turning a stepper action into a seek or
 * a breakpoint jump, and seeking where only the latest of rapid requests matters.
 */
import type { StepAction } from "./keys.js";

/** Where a stepping view stands: step `step` of `length` (step 0 is before the first event). */
export interface StepPosition {
  readonly step: number;
  readonly length: number;
}

/**
 * Carries out `action` (any but "play", which the view toggles itself) from `at`: the step
 * actions call `seek` with a step clamped to 0..length, the breakpoint actions call `jump`
 * with the direction (1 later, -1 earlier).
 */
export function applyStepAction(
  action: StepAction,
  at: StepPosition,
  seek: (step: number) => void,
  jump: (direction: 1 | -1) => void,
): void {
  if (action === "forward") seek(Math.min(at.length, at.step + 1));
  else if (action === "back") seek(Math.max(0, at.step - 1));
  else if (action === "start") seek(0);
  else if (action === "end") seek(at.length);
  else if (action === "next-break") jump(1);
  else if (action === "previous-break") jump(-1);
}

/** A seek function (see `latestSeeker`) that also tells where it is heading. */
export interface Seeker {
  (step: number): Promise<void>;
  /**
   * The latest step asked for that is not on screen yet, or null when the view shows
   * what was last asked. Relative moves (one step back) start from here, so two quick
   * presses of a key move two steps even when the first has not been shown yet.
   */
  heading(): number | null;
}

/**
 * A seek function that shows one step at a time with `show`: a request made while another
 * is being shown replaces any request still waiting, so rapid requests collapse into the
 * latest one. A failure of `show` goes to `fail` (with its message) and ends the run of
 * requests; the returned promise resolves when this call's work (if any) is done.
 */
export function latestSeeker(show: (step: number) => Promise<void>, fail: (message: string) => void): Seeker {
  let wanted = -1;
  let latest: number | null = null;
  let fetching = false;
  const seek = async (step: number): Promise<void> => {
    wanted = step;
    latest = step;
    if (fetching) return;
    fetching = true;
    try {
      while (wanted >= 0) {
        const target = wanted;
        wanted = -1;
        await show(target);
      }
    } catch (e) {
      fail(e instanceof Error ? e.message : String(e));
    } finally {
      fetching = false;
      latest = null;
    }
  };
  return Object.assign(seek, { heading: () => latest });
}
