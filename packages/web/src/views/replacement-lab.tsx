import { signal } from "@preact/signals";
import { useEffect, useState } from "preact/hooks";
import type { PolicyGrid } from "../engine/replacement-grid.js";
import { cellAt, gridWindow, narrateReference } from "../lab/grid.js";
import type { StepAction } from "../lab/keys.js";
import { OUTCOME } from "../lab/palette.js";
import { type Grade, gradeReplacement, needsVictim } from "../lab/predict.js";
import { lineChartSvg } from "../lab/svg.js";
import { download, getEngine, narration, predictMode, problem, stepHandler } from "../state.js";
import type { RefSource, ReplaceResult } from "../worker/protocol.js";
import { MrcChart } from "./mrc-chart.js";
import { Stepper } from "./stepper.js";

/** The replacement lab's settings (the permalink carries them). */
export const refsText = signal("1 2 3 4 1 2 5 1 2 3 4 5");
export const chosenPolicies = signal<readonly string[]>(["fifo", "lru"]);
export const gridFrames = signal(3);
const maxFrames = signal(8);
const knownPolicies = signal<readonly string[]>([]);
const result = signal<ReplaceResult | null>(null);
const cursor = signal(0);
const busy = signal("");
const lastGrade = signal<{ t: number; grade: Grade } | null>(null);
const GRID_WIDTH = 40;

/** Runs the comparison in the worker and shows the grids from reference 0. */
export async function runComparison(
  source: RefSource = { kind: "text", text: refsText.value },
): Promise<void> {
  busy.value = source.kind === "file" ? `reading ${source.name}…` : "running…";
  problem.value = "";
  try {
    const r = await getEngine().call(
      "replace",
      {
        source,
        policies: chosenPolicies.value,
        frames: gridFrames.value,
        maxFrames: maxFrames.value,
        gridLimit: 2000,
      },
      (done, total) => {
        busy.value = `curves ${done}/${total}…`;
      },
    );
    result.value = r;
    cursor.value = 0;
    narrate(r, 0);
  } catch (e) {
    problem.value = e instanceof Error ? e.message : String(e);
  } finally {
    busy.value = "";
  }
}

function narrate(r: ReplaceResult, t: number): void {
  if (r.refs.length === 0) return;
  narration.value = `Reference ${t}: ` + r.grids.map((g) => narrateReference(g, r.refs, t)).join(" ");
}

function seek(t: number): void {
  const r = result.value;
  if (!r) return;
  cursor.value = Math.max(0, Math.min(r.refs.length - 1, t));
  narrate(r, cursor.value);
}

function onKey(action: StepAction): void {
  const r = result.value;
  if (!r) return;
  if (action === "forward") seek(cursor.value + 1);
  else if (action === "back") seek(cursor.value - 1);
  else if (action === "start") seek(0);
  else if (action === "end") seek(r.refs.length - 1);
}

/** Reference string in, grids and curves of several policies out. */
export function ReplacementLab() {
  const [playing, setPlaying] = useState(false);
  useEffect(() => {
    stepHandler.value = (action) => (action === "play" ? setPlaying((p) => !p) : onKey(action));
    if (knownPolicies.value.length === 0)
      getEngine()
        .call("hello", {})
        .then((h) => {
          knownPolicies.value = h.policies;
        });
    if (!result.value) void runComparison();
    return () => {
      stepHandler.value = null;
    };
  }, []);
  const r = result.value;
  return (
    <section class="replacement" aria-label="Replacement lab">
      <RefsForm />
      {busy.value && <p class="busy">{busy.value}</p>}
      {r && (
        <>
          <Stepper
            position={cursor.value}
            last={r.refs.length - 1}
            onSeek={seek}
            playing={playing}
            onPlayingChange={setPlaying}
            unit="reference"
          />
          {predictMode.value && r.grids[0] && cursor.value + 1 < r.refs.length && (
            <PredictReplacement
              grid={r.grids[0]}
              refs={r.refs}
              t={cursor.value + 1}
              onDone={() => seek(cursor.value + 1)}
            />
          )}
          {predictMode.value && lastGrade.value?.t === cursor.value && (
            <GradeNote grade={lastGrade.value.grade} />
          )}
          <div class="grids">
            {r.grids.map((g) => (
              <GridTable key={g.policy} grid={g} refs={r.refs} cursor={cursor.value} />
            ))}
          </div>
          <Summary r={r} />
          <Curves r={r} />
        </>
      )}
    </section>
  );
}

function RefsForm() {
  const [dragging, setDragging] = useState(false);
  const toggle = (p: string) => {
    const on = chosenPolicies.value.includes(p);
    chosenPolicies.value = on ? chosenPolicies.value.filter((q) => q !== p) : [...chosenPolicies.value, p];
  };
  const dropFile = (file: File | undefined) => {
    if (file) void runComparison({ kind: "file", file, name: file.name });
  };
  return (
    <form
      class={dragging ? "refs-form dragging" : "refs-form"}
      onSubmit={(e) => {
        e.preventDefault();
        void runComparison();
      }}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        dropFile(e.dataTransfer?.files[0]);
      }}
    >
      <label class="refs">
        Reference string (page numbers; or drop a trace file here)
        <textarea
          rows={2}
          value={refsText.value}
          onInput={(e) => {
            refsText.value = (e.target as HTMLTextAreaElement).value;
          }}
        />
      </label>
      <fieldset>
        <legend>Policies</legend>
        {knownPolicies.value.map((p) => (
          <label key={p} class="check">
            <input type="checkbox" checked={chosenPolicies.value.includes(p)} onChange={() => toggle(p)} />{" "}
            {p}
          </label>
        ))}
      </fieldset>
      <label>
        Frames{" "}
        <input
          type="number"
          min={1}
          max={64}
          value={gridFrames.value}
          onInput={(e) => {
            gridFrames.value = Number((e.target as HTMLInputElement).value);
          }}
        />
      </label>
      <label>
        Curve up to{" "}
        <input
          type="number"
          min={1}
          max={4096}
          value={maxFrames.value}
          onInput={(e) => {
            maxFrames.value = Number((e.target as HTMLInputElement).value);
          }}
        />{" "}
        frames
      </label>
      <label class="file">
        Trace file <input type="file" onChange={(e) => dropFile((e.target as HTMLInputElement).files?.[0])} />
      </label>
      <button type="submit">Compare</button>
    </form>
  );
}

function GridTable(props: { grid: PolicyGrid; refs: Float64Array; cursor: number }) {
  const { grid, refs, cursor } = props;
  const { start, end } = gridWindow(refs.length, cursor, GRID_WIDTH);
  const cols = Array.from({ length: end - start }, (_, i) => start + i);
  const missesSoFar = cols.length ? countMisses(grid, cursor) : 0;
  return (
    <table class="grid" data-policy={grid.policy} aria-label={`${grid.policy} frames over time`}>
      <caption>
        {grid.policy.toUpperCase()} — {missesSoFar} misses in the first {cursor + 1} references
      </caption>
      <thead>
        <tr>
          <th scope="row">ref</th>
          {cols.map((t) => (
            <th key={t} class={t === cursor ? "cursor" : ""} scope="col">
              {pageLabel(refs[t]!)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {Array.from({ length: grid.frames }, (_, s) => (
          <tr key={s}>
            <th scope="row">f{s}</th>
            {cols.map((t) => {
              const cell = cellAt(grid, refs, t, s, cursor);
              const cls = `${cell.kind}${t === cursor ? " cursor" : ""}`;
              const text = cell.kind === "hidden" || cell.kind === "empty" ? "" : pageLabel(cell.page);
              const title =
                cell.kind === "inserted" && cell.replaced !== null
                  ? `evicted page ${cell.replaced}`
                  : cell.kind;
              return (
                <td key={t} class={cls} title={title}>
                  {text}
                </td>
              );
            })}
          </tr>
        ))}
        <tr class="outcome">
          <th scope="row">hit?</th>
          {cols.map((t) => (
            <td key={t} class={t > cursor ? "hidden" : grid.hit[t] ? "hit" : "miss"}>
              {t > cursor ? "" : grid.hit[t] ? "H" : "M"}
            </td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}

/** Small page numbers in decimal (as typed), large ones (trace pages) in hex. */
function pageLabel(page: number): string {
  return page < 10_000 ? String(page) : `0x${page.toString(16)}`;
}

function countMisses(grid: PolicyGrid, upTo: number): number {
  let misses = 0;
  for (let t = 0; t <= upTo && t < grid.steps; t++) misses += grid.hit[t] ? 0 : 1;
  return misses;
}

function Summary({ r }: { r: ReplaceResult }) {
  return (
    <div class="summary">
      <table aria-label="policy summary">
        <thead>
          <tr>
            <th>policy</th>
            <th>frames</th>
            <th>accesses</th>
            <th>misses</th>
            <th>miss ratio</th>
          </tr>
        </thead>
        <tbody>
          {r.totals.map((t) => (
            <tr key={t.policy} data-policy={t.policy}>
              <td>{t.policy}</td>
              <td>{r.grids[0]?.frames}</td>
              <td>{r.accesses}</td>
              <td class="misses">{t.misses}</td>
              <td>{(t.misses / r.accesses).toFixed(3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        {r.accesses} references to {r.distinctPages} distinct pages
        {r.refs.length < r.accesses ? `; the grids show the first ${r.refs.length}` : ""}.
      </p>
      <p class="muted">Read as {r.format}.</p>
    </div>
  );
}

function Curves({ r }: { r: ReplaceResult }) {
  const [canvas, setCanvas] = useState<HTMLCanvasElement | null>(null);
  const first = r.curves[0];
  const exportSvg = () => {
    if (!first) return;
    const svg = lineChartSvg(
      "Misses by number of frames",
      "frames",
      "misses",
      first.frames,
      r.curves.map((c) => ({ name: c.policy, y: c.misses })),
    );
    download("memsim-misses.svg", svg, "image/svg+xml");
  };
  const exportPng = () => canvas?.toBlob((b) => b && download("memsim-misses.png", b));
  return (
    <div class="curves">
      <MrcChart curves={r.curves} anomalies={r.anomalies} onCanvas={setCanvas} />
      <div class="anomalies" role="status">
        {r.anomalies.length === 0 ? (
          <p>No Belady anomaly: no policy misses more with more frames here.</p>
        ) : (
          r.anomalies.map((a) => (
            <p key={`${a.policy}${a.frames}`} class="anomaly">
              <strong>Belady's anomaly</strong>: {a.policy.toUpperCase()} misses {a.misses} times with{" "}
              {a.frames} frames but {a.moreMisses} with {a.moreFrames}.
            </p>
          ))
        )}
      </div>
      <button type="button" onClick={exportSvg}>
        Chart as SVG
      </button>{" "}
      <button type="button" onClick={exportPng} disabled={!canvas}>
        Chart as PNG
      </button>
    </div>
  );
}

function PredictReplacement(props: { grid: PolicyGrid; refs: Float64Array; t: number; onDone: () => void }) {
  const { grid, refs, t } = props;
  const [outcome, setOutcome] = useState<"hit" | "miss">("miss");
  const [victim, setVictim] = useState(0);
  const full = needsVictim(grid, t) || grid.slots[(t - 1) * grid.frames + grid.frames - 1]! >= 0;
  return (
    <fieldset class="predict">
      <legend>Predict the next reference</legend>
      <p>
        Predict: {grid.policy.toUpperCase()} gets page <strong>{refs[t]}</strong> next. Hit or miss?
      </p>
      <label>
        <input type="radio" name="outcome" checked={outcome === "hit"} onChange={() => setOutcome("hit")} />{" "}
        hit
      </label>
      <label>
        <input type="radio" name="outcome" checked={outcome === "miss"} onChange={() => setOutcome("miss")} />{" "}
        miss
      </label>
      {outcome === "miss" && full && (
        <label>
          victim frame{" "}
          <select value={victim} onChange={(e) => setVictim(Number((e.target as HTMLSelectElement).value))}>
            {Array.from({ length: grid.frames }, (_, s) => (
              <option value={s} key={s}>
                f{s}
              </option>
            ))}
          </select>
        </label>
      )}
      <button
        type="button"
        onClick={() => {
          const g = gradeReplacement(grid, refs, t, outcome === "hit" ? { outcome } : { outcome, victim });
          lastGrade.value = { t, grade: g };
          props.onDone();
          narration.value = g.explanation; // after the step, whose own sentence it replaces
        }}
      >
        Check
      </button>
    </fieldset>
  );
}

function GradeNote({ grade }: { grade: Grade }) {
  return (
    <p
      class={grade.correct ? "grade right" : "grade wrong"}
      style={{ borderColor: grade.correct ? OUTCOME.hit : OUTCOME.miss }}
    >
      {grade.correct ? "✔ " : "✘ "}
      {grade.explanation}
    </p>
  );
}
