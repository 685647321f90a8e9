import { batch, signal } from "@preact/signals";
import { useEffect, useState } from "preact/hooks";
import type { StepAction } from "../lab/keys.js";
import { applyStepAction, latestSeeker } from "../lab/stepping.js";
import { getEngine, narration, problem, stepHandler } from "../state.js";
import type { PyState } from "../worker/protocol.js";
import { Stepper } from "./stepper.js";

/** The script the Python view opens on: a reference cycle only the collector can free. */
export const DEFAULT_PYGC = `# A reference cycle: reference counting cannot free it, the cycle collector can.
import gc
gc.disable()
class Node
a = Node()
b = Node()
a.other = b
b.other = a
del a
del b
print(gc.collect())
`;

/** The pygc script (the permalink carries it). */
export const pygcText = signal(DEFAULT_PYGC);
/** The step to open at (set by a permalink). */
export const pyStartStep = signal(0);
const py = signal<PyState | null>(null);
const breakKinds = signal<readonly string[]>(["gc-start", "gc-phase", "dealloc"]);
const BREAKS = [
  ["gc-start", "collection"],
  ["gc-phase", "gc phase"],
  ["dealloc", "deallocation"],
  ["gc-tentatively-unreachable", "unreachable"],
] as const;

/** Moves the Python view to `step`; rapid requests collapse into the latest one. */
const seekPy = latestSeeker(
  async (target) => {
    const state = await getEngine().call("pygc-state", { step: target });
    batch(() => {
      py.value = state;
      narration.value = `Step ${state.step}: ${state.sentence}`;
    });
  },
  (message) => {
    problem.value = message;
  },
);

/** The step the Python view shows now. */
export function currentPyStep(): number {
  return py.value?.step ?? 0;
}

/** Runs the script in the worker and shows step `at`. */
export async function loadPygc(at = 0): Promise<void> {
  problem.value = "";
  const r = await getEngine().call("pygc-load", { source: pygcText.value });
  if (r.kind === "error") {
    problem.value = r.message;
    return;
  }
  await seekPy(at);
}

async function jump(direction: 1 | -1): Promise<void> {
  const from = py.value?.step ?? 0;
  const step = await getEngine().call("pygc-find", { from, direction, kinds: breakKinds.value });
  if (step < 0) narration.value = `No ${direction > 0 ? "later" : "earlier"} step matches the breakpoints.`;
  else await seekPy(step);
}

function act(action: StepAction): void {
  const s = py.value;
  if (s)
    applyStepAction(
      action,
      { step: seekPy.heading() ?? s.step, length: s.length },
      (step) => void seekPy(step),
      (direction) => void jump(direction),
    );
}

/** The Python runtime's memory: names, objects with refcounts, the collector at work. */
export function PythonLab() {
  const [playing, setPlaying] = useState(false);
  useEffect(() => {
    stepHandler.value = (action) => (action === "play" ? setPlaying((p) => !p) : act(action));
    if (!py.value) void loadPygc(pyStartStep.value);
    return () => {
      stepHandler.value = null;
    };
  }, []);
  const s = py.value;
  return (
    <section class="machine python" aria-label="Python memory">
      <div class="left">
        <h2>pygc script</h2>
        <textarea
          class="pygc"
          aria-label="pygc script"
          rows={16}
          value={pygcText.value}
          onInput={(e) => {
            pygcText.value = (e.target as HTMLTextAreaElement).value;
          }}
        />
        <button type="button" class="run" onClick={() => void loadPygc()}>
          Run script
        </button>
        {s && s.output.length > 0 && (
          <>
            <h3>Output</h3>
            <pre data-testid="py-output">{s.output.join("\n")}</pre>
          </>
        )}
        {s?.error && <p class="problem">{s.error}</p>}
      </div>
      <div class="right">
        {s && (
          <>
            <Stepper
              position={s.step}
              last={s.length}
              onSeek={(n) => void seekPy(n)}
              playing={playing}
              onPlayingChange={setPlaying}
              unit="step"
            >
              <span class="breaks">
                <span>break on:</span>
                {BREAKS.map(([k, label]) => (
                  <label key={k} class="check">
                    <input
                      type="checkbox"
                      checked={breakKinds.value.includes(k)}
                      onChange={() => {
                        breakKinds.value = breakKinds.value.includes(k)
                          ? breakKinds.value.filter((x) => x !== k)
                          : [...breakKinds.value, k];
                      }}
                    />{" "}
                    {label}
                  </label>
                ))}
                <button type="button" onClick={() => void jump(1)}>
                  next ▶
                </button>
              </span>
            </Stepper>
            <PyHeap state={s} />
          </>
        )}
      </div>
    </section>
  );
}

function PyHeap({ state }: { state: PyState }) {
  const gcRefs = new Map(state.gcRefs);
  const status = new Map(state.status);
  return (
    <div class="py-heap">
      {state.phase && (
        <p class="gc-phase" role="status">
          Cycle collector running: phase <strong>{state.phase}</strong>
        </p>
      )}
      <div class="py-cols">
        <section aria-label="names" class="py-names">
          <h3>Global names</h3>
          <table>
            <tbody>
              {state.names.map((n) => (
                <tr key={n.name}>
                  <td>{n.name}</td>
                  <td>→ #{n.id}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-label="objects" class="py-objects" data-testid="py-objects">
          <h3>Objects</h3>
          {state.objects.map((o) => {
            const verdict = status.get(o.id);
            return (
              <div key={o.id} class={`py-obj${verdict ? ` ${verdict}` : ""}`} data-id={o.id}>
                <div class="py-head">
                  <strong>#{o.id}</strong> {o.type}
                  <span class="badge rc" title="reference count">
                    refcount {o.refcnt}
                  </span>
                  {gcRefs.has(o.id) && (
                    <span class="badge gcrefs" title="gc_refs during this collection">
                      gc_refs {gcRefs.get(o.id)}
                    </span>
                  )}
                  {verdict && <span class="badge verdict">{verdict}</span>}
                  {o.tracked && <span class="badge tracked">tracked</span>}
                </div>
                <div class="py-repr">{o.repr}</div>
                {o.refs.length > 0 && <div class="py-refs">→ {o.refs.map((r) => `#${r}`).join(", ")}</div>}
              </div>
            );
          })}
          {state.hidden > 0 && <p class="muted">…and {state.hidden} more objects.</p>}
        </section>
      </div>
    </div>
  );
}
