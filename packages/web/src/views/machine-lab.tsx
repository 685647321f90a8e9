import { batch, signal } from "@preact/signals";
import { useEffect, useRef, useState } from "preact/hooks";
import type { StepAction } from "../lab/keys.js";
import type { Grade } from "../lab/predict.js";
import { FAULT_CHOICES, faultQuestion, gradeFault } from "../lab/predict-fault.js";
import { applyStepAction, latestSeeker } from "../lab/stepping.js";
import { download, getEngine, narration, predictMode, problem, stepHandler } from "../state.js";
import type { EventRow, FrameOwners, MachineState } from "../worker/protocol.js";
import { DEFAULT_SCENARIO } from "./default-scenario.js";
import { FrameLegend, FrameMap, SwapStrip } from "./frame-map.js";
import { HeapPanel, OutputPanel } from "./heap-panel.js";
import { ProcessPanel } from "./process-panel.js";
import { ScenarioEditor } from "./scenario-editor.js";
import { Stepper } from "./stepper.js";

/** The scenario text (the permalink carries it). */
export const scenarioText = signal(DEFAULT_SCENARIO);
/** The step to open at after loading (set by a permalink). */
export const startStep = signal(0);
const machine = signal<MachineState | null>(null);
const rows = signal<readonly EventRow[]>([]);
const loadError = signal<{ line: number; col: number } | null>(null);
const selectedFrame = signal(-1);
const owners = signal<FrameOwners | null>(null);
const selectedPid = signal(-1);
const breakKinds = signal<readonly string[]>(["fault", "evict", "cow-copy", "segv"]);
const lastGrade = signal<{ step: number; grade: Grade } | null>(null);
const loading = signal(false);
const BREAK_CHOICES = [
  ["fault", "page fault"],
  ["evict", "eviction"],
  ["cow-copy", "COW copy"],
  ["segv", "SIGSEGV"],
  ["swap-out", "swap-out"],
  ["oom-kill", "OOM kill"],
] as const;

/** The step the machine view shows now. */
export function currentStep(): number {
  return machine.value?.step ?? 0;
}

/** Moves the machine view to `step`; rapid requests collapse into the latest one. */
export const seekMachine = latestSeeker(
  async (target) => {
    const state = await getEngine().call("scenario-state", { step: target });
    const around = await getEngine().call("scenario-events", {
      from: Math.max(0, state.step - 6),
      count: 16,
    });
    // The rows and the machine change together, so predict mode never sees one without the other.
    batch(() => {
      machine.value = state;
      rows.value = around;
      narration.value = state.event
        ? `Step ${state.step}: ${state.event.sentence}`
        : "Step 0: the machine is ready.";
    });
    if (selectedFrame.value >= 0)
      owners.value = await getEngine().call("frame-owners", { pfn: selectedFrame.value });
  },
  (message) => {
    problem.value = message;
  },
);

/** Loads the scenario text into the engine and shows `at`. */
export async function loadScenario(at = 0): Promise<void> {
  problem.value = "";
  loadError.value = null;
  loading.value = true;
  try {
    const r = await getEngine().call("scenario-load", { source: scenarioText.value });
    if (r.kind === "error") {
      problem.value = r.message;
      loadError.value = { line: r.line, col: r.col };
      return;
    }
    selectedFrame.value = -1;
    owners.value = null;
    await seekMachine(at);
  } catch (e) {
    problem.value = e instanceof Error ? e.message : String(e);
  } finally {
    loading.value = false;
  }
}

async function jumpToBreak(direction: 1 | -1): Promise<void> {
  const from = currentStep();
  const step = await getEngine().call("scenario-find", { from, direction, kinds: breakKinds.value });
  if (step < 0) narration.value = `No ${direction > 0 ? "later" : "earlier"} step matches the breakpoints.`;
  else await seekMachine(step);
}

function act(action: StepAction): void {
  const m = machine.value;
  if (m)
    applyStepAction(
      action,
      { step: seekMachine.heading() ?? m.step, length: m.length },
      (step) => void seekMachine(step),
      (direction) => void jumpToBreak(direction),
    );
}

/** Scenario editor, timeline, physical memory and the process view. */
export function MachineLab() {
  const [playing, setPlaying] = useState(false);
  const mapHost = useRef<HTMLDivElement>(null);
  const [mapWidth, setMapWidth] = useState(640);
  useEffect(() => {
    stepHandler.value = (action) => (action === "play" ? setPlaying((p) => !p) : act(action));
    if (!machine.value) void loadScenario(startStep.value);
    const measure = () => setMapWidth(Math.max(240, mapHost.current?.clientWidth ?? 640));
    measure();
    window.addEventListener("resize", measure);
    return () => {
      stepHandler.value = null;
      window.removeEventListener("resize", measure);
    };
  }, []);
  const m = machine.value;
  return (
    <section class="machine" aria-label="Machine">
      <div class="left">
        <h2>Scenario</h2>
        <ScenarioEditor
          text={scenarioText.value}
          onChange={(t) => {
            scenarioText.value = t;
          }}
          focusAt={loadError.value}
        />
        <button type="button" class="run" onClick={() => void loadScenario()} disabled={loading.value}>
          Run scenario
        </button>
        {loading.value && <span class="busy">running the scenario…</span>}
        {m && (
          <button
            type="button"
            onClick={async () =>
              download(
                "memsim-events.json",
                await getEngine().call("scenario-export", {}),
                "application/json",
              )
            }
          >
            Event log as JSON
          </button>
        )}
        {m && <Timeline state={m} />}
      </div>
      <div class="right">
        {m && (
          <>
            <Stepper
              position={m.step}
              last={m.length}
              onSeek={(s) => void seekMachine(s)}
              playing={playing}
              onPlayingChange={setPlaying}
              unit="step"
            >
              <Breakpoints />
            </Stepper>
            {predictMode.value && <PredictFault state={m} />}
            <h2>Physical memory</h2>
            <div ref={mapHost} class="map-host">
              <FrameMap
                state={m}
                selected={selectedFrame.value}
                width={mapWidth}
                onSelect={async (pfn) => {
                  selectedFrame.value = pfn;
                  owners.value = await getEngine().call("frame-owners", { pfn });
                }}
              />
            </div>
            <FrameLegend />
            {owners.value && <OwnersNote owners={owners.value} />}
            <h3>Swap</h3>
            <SwapStrip swap={m.swap} />
            {m.heaps.map((h) => (
              <HeapPanel key={h.pid} heap={h} />
            ))}
            <OutputPanel output={m.output} />
            <ProcessPanel
              state={m}
              pid={selectedPid.value >= 0 ? selectedPid.value : m.event ? pidOfRow(m) : -1}
              onPid={(pid) => {
                selectedPid.value = pid;
              }}
            />
            <details>
              <summary>/proc/meminfo</summary>
              <pre>{m.meminfo}</pre>
            </details>
          </>
        )}
      </div>
    </section>
  );
}

function pidOfRow(m: MachineState): number {
  return m.walkPid >= 0 ? m.walkPid : -1;
}

function Breakpoints() {
  const toggle = (k: string) => {
    const on = breakKinds.value.includes(k);
    breakKinds.value = on ? breakKinds.value.filter((x) => x !== k) : [...breakKinds.value, k];
  };
  return (
    <span class="breaks">
      <span>break on:</span>
      {BREAK_CHOICES.map(([k, label]) => (
        <label key={k} class="check">
          <input type="checkbox" checked={breakKinds.value.includes(k)} onChange={() => toggle(k)} /> {label}
        </label>
      ))}
      <button type="button" onClick={() => void jumpToBreak(-1)} title="Previous breakpoint (N)">
        ◀ prev
      </button>
      <button type="button" onClick={() => void jumpToBreak(1)} title="Next breakpoint (n)">
        next ▶
      </button>
    </span>
  );
}

function Timeline({ state }: { state: MachineState }) {
  return (
    <section class="timeline" aria-label="event log">
      <h2>Events</h2>
      <ol class="events" data-testid="events">
        {rows.value.map((r) => {
          const hidden = predictMode.value && r.step > state.step;
          return (
            <li key={r.step} class={r.step === state.step ? "current" : r.step > state.step ? "future" : ""}>
              <button type="button" onClick={() => void seekMachine(r.step)}>
                <span class="step">{r.step}</span> <span class="kind">{r.kind}</span>{" "}
                <span class="line">line {r.line}</span>
                {!hidden && <span class="sentence">{r.sentence}</span>}
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function OwnersNote({ owners: o }: { owners: FrameOwners }) {
  return (
    <div class="owners" role="status" data-testid="frame-owners">
      <strong>Frame {o.pfn}</strong>: {o.category}, map count {o.mapCount}. {o.note}
      {o.mappers.length > 0 && (
        <ul>
          {o.mappers.map((m) => (
            <li key={`${m.pid}:${m.vpn}`}>
              {m.name} (pid {m.pid}) page 0x{m.vpn.toString(16)} {m.bits.join(" ")}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function PredictFault({ state }: { state: MachineState }) {
  const next = rows.value.find((r) => r.step === state.step + 1);
  const [guess, setGuess] = useState<string>("minor");
  const question = next ? faultQuestion(next) : null;
  const graded = lastGrade.value?.step === state.step ? lastGrade.value.grade : null;
  return (
    <div class="predict-box">
      {graded && (
        <p class={graded.correct ? "grade right" : "grade wrong"}>
          {graded.correct ? "✔ " : "✘ "}
          {graded.explanation}
        </p>
      )}
      {next && question ? (
        <fieldset class="predict">
          <legend>Predict the next step</legend>
          <p>{question}</p>
          {FAULT_CHOICES.map((c) => (
            <label key={c}>
              <input type="radio" name="fault-guess" checked={guess === c} onChange={() => setGuess(c)} /> {c}
            </label>
          ))}
          <button
            type="button"
            onClick={() => {
              const g = gradeFault(next, guess);
              lastGrade.value = { step: next.step, grade: g };
              // Screen readers hear the verdict, not just the step it moved to.
              void seekMachine(next.step).then(() => {
                narration.value = g.explanation;
              });
            }}
          >
            Check
          </button>
        </fieldset>
      ) : (
        <p class="muted">
          Predict mode: step on (→ or n) until the next step is a page fault; its kind stays hidden.
        </p>
      )}
    </div>
  );
}
