import { useEffect, useRef, useState } from "preact/hooks";

/** Controls for moving through a run: buttons, a slider, jump-to-step and play speed. */
export interface StepperProps {
  /** The current step, 0..last. */
  readonly position: number;
  /** The last step. */
  readonly last: number;
  /** Moves to a step (clamped by the caller). */
  readonly onSeek: (step: number) => void;
  /** Whether playing; the stepper advances one step per tick while true. */
  readonly playing: boolean;
  readonly onPlayingChange: (playing: boolean) => void;
  /** Label of the unit ("step", "reference"). */
  readonly unit: string;
  /** Extra controls placed after the standard ones (breakpoints). */
  readonly children?: preact.ComponentChildren;
}

const SPEEDS = [1, 2, 5, 10, 30, 100] as const;

/** The step bar shared by the machine timeline and the replacement grids. */
export function Stepper(props: StepperProps) {
  const [speed, setSpeed] = useState(5);
  const [jump, setJump] = useState("");
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    if (!props.playing) return;
    const timer = setInterval(() => {
      const p = latest.current;
      if (p.position >= p.last) p.onPlayingChange(false);
      else p.onSeek(p.position + 1);
    }, 1000 / speed);
    return () => clearInterval(timer);
  }, [props.playing, speed]);

  const go = (step: number) => props.onSeek(Math.max(0, Math.min(props.last, step)));
  return (
    <fieldset class="stepper" aria-label={`${props.unit} controls`}>
      <button type="button" title="First (Home)" aria-label="first" onClick={() => go(0)}>
        |◀
      </button>
      <button type="button" title="Back (←)" aria-label="back" onClick={() => go(props.position - 1)}>
        ◀
      </button>
      <button
        type="button"
        title="Play/pause (space)"
        aria-label={props.playing ? "pause" : "play"}
        onClick={() => props.onPlayingChange(!props.playing)}
      >
        {props.playing ? "❚❚" : "▶"}
      </button>
      <button type="button" title="Forward (→)" aria-label="forward" onClick={() => go(props.position + 1)}>
        ▶▏
      </button>
      <button type="button" title="Last (End)" aria-label="last" onClick={() => go(props.last)}>
        ▶|
      </button>
      <input
        type="range"
        aria-label={`${props.unit} slider`}
        min={0}
        max={Math.max(0, props.last)}
        value={props.position}
        onInput={(e) => go(Number((e.target as HTMLInputElement).value))}
      />
      <span class="position" data-testid="position">
        {props.unit} {props.position} / {props.last}
      </span>
      <form
        class="jump"
        onSubmit={(e) => {
          e.preventDefault();
          const n = Number(jump);
          if (Number.isInteger(n)) go(n);
        }}
      >
        <input
          aria-label={`jump to ${props.unit}`}
          placeholder="jump to"
          size={7}
          value={jump}
          onInput={(e) => setJump((e.target as HTMLInputElement).value)}
        />
      </form>
      <label>
        speed{" "}
        <select value={speed} onChange={(e) => setSpeed(Number((e.target as HTMLSelectElement).value))}>
          {SPEEDS.map((s) => (
            <option value={s} key={s}>
              {s}/s
            </option>
          ))}
        </select>
      </label>
      {props.children}
    </fieldset>
  );
}
