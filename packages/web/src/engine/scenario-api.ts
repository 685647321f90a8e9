import type { EventRow, FrameOwners, MachineState, ScenarioLoad } from "../worker/protocol.js";
import { eventRow, frameOwners, machineState } from "./machine-view.js";
import { ScenarioSession } from "./scenario-session.js";

/**
 * The worker's scenario methods over one loaded session. Events are kept in the worker;
 * the page asks for the few rows and the one machine state it shows.
 */
export class ScenarioApi {
  private session: ScenarioSession | null = null;
  private source = "";

  /** Parses and runs `source`; a mistake comes back with its line and column. */
  load(source: string, limit?: number): ScenarioLoad {
    const s = ScenarioSession.load(source, limit === undefined ? {} : { maxEvents: limit });
    if (!(s instanceof ScenarioSession))
      return { kind: "error", message: `${s.line}:${s.col}: ${s.message}`, line: s.line, col: s.col };
    this.session = s;
    this.source = source;
    s.seek(0);
    if (s.runError) {
      const e = s.runError;
      return { kind: "error", message: `${e.line}:${e.col}: ${e.message}`, line: e.line, col: e.col };
    }
    return { kind: "loaded", length: s.length, complete: !s.truncated, names: [...s.names] };
  }

  /** The machine at `step`. */
  state(step: number): MachineState {
    const s = this.loaded();
    s.seek(step);
    return { ...machineState(s, this.source), complete: !s.truncated };
  }

  /** Rows for steps from + 1 .. from + count. */
  events(from: number, count: number): EventRow[] {
    const s = this.loaded();
    const rows: EventRow[] = [];
    for (let i = Math.max(0, from); i < Math.min(s.length, from + Math.max(0, count)); i++)
      rows.push(eventRow(s, i));
    return rows;
  }

  /** The nearest step after (or before) `from` whose event kind is one of `kinds`, or -1. */
  find(from: number, direction: 1 | -1, kinds: readonly string[]): number {
    const s = this.loaded();
    const wanted = new Set(kinds.map((k) => (k === "fault" ? "page-fault" : k)));
    // Step n shows event n - 1; search events after (before) the current one.
    if (direction > 0) {
      for (let i = Math.max(0, from); i < s.length; i++)
        if (wanted.has(s.events[i]!.event.kind)) return i + 1;
    } else {
      for (let i = Math.min(s.length, from - 1) - 1; i >= 0; i--)
        if (wanted.has(s.events[i]!.event.kind)) return i + 1;
    }
    return -1;
  }

  /** Who maps `pfn` at the current step. */
  owners(pfn: number): FrameOwners {
    const s = this.loaded();
    s.seek(s.position);
    return frameOwners(s, pfn);
  }

  /** The whole event log as JSON: step, source line, sentence and the event's own fields. */
  exportJson(): string {
    const s = this.loaded();
    return JSON.stringify(
      s.events.map((r, i) => ({ step: i + 1, line: r.line, text: s.text(i), event: r.event })),
      null,
      1,
    );
  }

  private loaded(): ScenarioSession {
    if (!this.session) throw new Error("no scenario is loaded: run one first");
    return this.session;
  }
}
