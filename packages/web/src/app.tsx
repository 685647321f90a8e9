import { useEffect } from "preact/hooks";
import { keyAction } from "./lab/keys.js";
import { decodeLink, encodeLink, type LinkState } from "./lab/permalink.js";
import { linkProblem, narration, predictMode, problem, stepHandler, type View, view } from "./state.js";
import { currentStep, loadScenario, MachineLab, scenarioText, startStep } from "./views/machine-lab.js";
import { currentPyStep, loadPygc, PythonLab, pygcText, pyStartStep } from "./views/python-lab.js";
import {
  chosenPolicies,
  gridFrames,
  ReplacementLab,
  refsText,
  runComparison,
} from "./views/replacement-lab.js";

const TABS: readonly { id: View; label: string }[] = [
  { id: "machine", label: "Machine" },
  { id: "replacement", label: "Replacement lab" },
  { id: "python", label: "Python GC" },
];

/** The state a permalink carries, read from the views' signals. */
function currentLink(): LinkState {
  return {
    view: view.value,
    scenario: scenarioText.value,
    script: pygcText.value,
    step: view.value === "python" ? currentPyStep() : currentStep(),
    refs: refsText.value,
    policies: chosenPolicies.value,
    frames: gridFrames.value,
    predict: predictMode.value,
  };
}

/**
 * Applies a permalink's state to the views' settings. `rerun` reloads the open view (for a
 * hash changed while the lab runs; at start the views load what the settings say).
 */
export async function applyLink(hash: string, rerun = false): Promise<void> {
  const read = await decodeLink(hash);
  linkProblem.value = read.kind === "error" ? read.message : "";
  if (read.kind !== "state") return;
  const s = read.state;
  if (s.view === "replacement" || s.view === "machine" || s.view === "python") view.value = s.view;
  if (s.script !== undefined) pygcText.value = s.script;
  if (s.scenario !== undefined) scenarioText.value = s.scenario;
  if (s.step !== undefined) {
    if (s.view === "python") pyStartStep.value = s.step;
    else startStep.value = s.step;
  }
  if (s.refs !== undefined) refsText.value = s.refs;
  if (s.policies !== undefined) chosenPolicies.value = s.policies;
  if (s.frames !== undefined) gridFrames.value = s.frames;
  if (s.predict !== undefined) predictMode.value = s.predict;
  if (!rerun) return;
  if (view.value === "replacement") await runComparison();
  else if (view.value === "python") await loadPygc(pyStartStep.value);
  else await loadScenario(startStep.value);
}

async function copyPermalink(): Promise<void> {
  const hash = await encodeLink(currentLink());
  history.replaceState(null, "", hash);
  narration.value = "The address bar now holds a permalink to this state.";
  try {
    await navigator.clipboard?.writeText(location.href);
  } catch {
    // The clipboard may be refused; the address bar still has the link.
  }
}

/** The lab's frame: tabs, settings shared by the views, the narration region. */
export function App() {
  useEffect(() => {
    const onHash = () => void applyLink(location.hash, true);
    const onKey = (e: KeyboardEvent) => {
      const action = keyAction(e.key, e.target as HTMLElement | null);
      const handler = stepHandler.value;
      if (!action || !handler || e.ctrlKey || e.metaKey || e.altKey) return;
      e.preventDefault();
      handler(action);
    };
    window.addEventListener("hashchange", onHash);
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("hashchange", onHash);
      window.removeEventListener("keydown", onKey);
    };
  }, []);
  if (!TABS.some((t) => t.id === view.value)) view.value = TABS[0]!.id;
  return (
    <>
      <header>
        <h1>memsim lab</h1>
        <div role="tablist" aria-label="views" class="tabs">
          {TABS.map((t) => (
            <button
              type="button"
              role="tab"
              key={t.id}
              aria-selected={view.value === t.id}
              onClick={() => {
                view.value = t.id;
              }}
            >
              {t.label}
            </button>
          ))}
        </div>
        <label class="predict-toggle">
          <input
            type="checkbox"
            checked={predictMode.value}
            onChange={(e) => {
              predictMode.value = (e.target as HTMLInputElement).checked;
            }}
          />{" "}
          Predict mode
        </label>
        <button type="button" onClick={() => void copyPermalink()}>
          Permalink
        </button>
      </header>
      {linkProblem.value && (
        <p class="problem" role="alert">
          {linkProblem.value}
        </p>
      )}
      {problem.value && (
        <p class="problem" role="alert">
          {problem.value}
        </p>
      )}
      <main>
        {view.value === "machine" && <MachineLab />}
        {view.value === "replacement" && <ReplacementLab />}
        {view.value === "python" && <PythonLab />}
      </main>
      <footer>
        <p class="narration" aria-live="polite" data-testid="narration">
          {narration.value}
        </p>
        <p class="keys">Keys: ← → step · space play/pause · Home/End · n / N next/previous breakpoint</p>
      </footer>
    </>
  );
}
