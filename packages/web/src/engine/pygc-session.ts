import {
  CallbackSink,
  formatRepr,
  type ManagedEvent,
  type ObjId,
  PyKind,
  PyRuntime,
  type PyStmt,
  parsePygc,
  runPygc,
} from "@memsim/core";
import { narrateManaged } from "../lab/narrate-gc.js";
import type { PyObjectView, PyState } from "../worker/protocol.js";

/**
 * A pygc script (the Python runtime's memory, see docs/python-gc.md) the lab steps
 * through event by event. The first run records every event and what the script printed;
 * step n is the runtime after the first n events, reached by re-running the script on a
 * fresh runtime and stopping it the moment the engine reports the n-th event (scripts are
 * short, so no checkpoints are needed).
 */

/** Stops a run once the wanted event has been emitted. */
class Arrived {}

/** Objects shown at most (the rest are counted). */
const MAX_OBJECTS = 120;

export class PygcSession {
  readonly events: ManagedEvent[] = [];
  /** Printed lines, each after `at` events. */
  readonly prints: { at: number; text: string }[] = [];
  /** A Python exception that ended the script, with its line. */
  error: { line: number; message: string } | null = null;

  private constructor(private readonly program: readonly PyStmt[]) {}

  /** Parses and runs `source`, or returns the syntax error with its place. */
  static load(source: string): PygcSession | { message: string; line: number; col: number } {
    const parsed = parsePygc(source);
    if (!parsed.ok) return parsed.error;
    const s = new PygcSession(parsed.value);
    s.record();
    return s;
  }

  get length(): number {
    return this.events.length;
  }

  private record(): void {
    const rt = new PyRuntime({
      sink: new CallbackSink<ManagedEvent>((e) => this.events.push(e)),
      unraisableHook: (where, e) =>
        this.prints.push({ at: this.events.length, text: `Exception ignored in: ${where}\n${e.message}` }),
    });
    const r = runPygc(rt, this.program, (line) => this.prints.push({ at: this.events.length, text: line }));
    if (!r.ok)
      this.error = {
        line: r.line,
        message: `${r.error.pyType}: ${r.error.message.replace(/^[A-Za-z]+: /, "")}`,
      };
  }

  /** The runtime after `n` events. */
  runtimeAt(n: number): PyRuntime {
    let seen = 0;
    const rt = new PyRuntime({
      sink: new CallbackSink<ManagedEvent>(() => {
        if (++seen === n) throw new Arrived();
      }),
      unraisableHook: () => {},
    });
    if (n > 0) {
      try {
        runPygc(rt, this.program, () => {});
      } catch (e) {
        if (!(e instanceof Arrived)) throw e;
      }
    }
    return rt;
  }

  /** What the view shows at step `step` (clamped). */
  state(step: number): PyState {
    const n = Math.max(0, Math.min(this.length, Math.floor(step)));
    const rt = this.runtimeAt(n);
    const collection = this.collectionAt(n);
    const names = [...rt.names]
      .filter(([, id]) => rt.space.isLive(id))
      .map(([name, id]) => ({ name, id: id as number }))
      .filter((v) => !isBuiltinName(v.name));
    const objects = this.objects(
      rt,
      names.map((v) => v.id as ObjId),
      collection.ids,
    );
    return {
      step: n,
      length: this.length,
      sentence: n > 0 ? narrateManaged(this.events[n - 1]!) : "Step 0: the script has not started.",
      kind: n > 0 ? this.events[n - 1]!.kind : "",
      phase: collection.phase,
      names,
      objects: objects.shown,
      hidden: objects.hidden,
      output: this.prints.filter((p) => p.at <= n).map((p) => p.text),
      gcRefs: [...collection.gcRefs],
      status: [...collection.status],
      error: this.error && n === this.length ? `line ${this.error.line}: ${this.error.message}` : null,
    };
  }

  /** The next or previous step whose event kind is in `kinds`, or -1. */
  find(from: number, direction: 1 | -1, kinds: readonly string[]): number {
    const wanted = new Set(kinds);
    if (direction > 0) {
      for (let i = Math.max(0, from); i < this.length; i++)
        if (wanted.has(this.events[i]!.kind)) return i + 1;
    } else {
      for (let i = Math.min(this.length, from - 1) - 1; i >= 0; i--)
        if (wanted.has(this.events[i]!.kind)) return i + 1;
    }
    return -1;
  }

  /**
   * The collection in progress at step n, read from the recorded events since its
   * `gc-start`: the current phase, each object's last gc_refs and reachability verdict.
   */
  private collectionAt(n: number): {
    phase: string | null;
    ids: number[];
    gcRefs: Map<number, number>;
    status: Map<number, string>;
  } {
    const gcRefs = new Map<number, number>();
    const status = new Map<number, string>();
    let start = -1;
    for (let i = n - 1; i >= 0; i--) {
      const k = this.events[i]!.kind;
      if (k === "gc-stop") break;
      if (k === "gc-start") {
        start = i;
        break;
      }
    }
    if (start < 0) return { phase: null, ids: [], gcRefs, status };
    let phase: string | null = null;
    for (let i = start; i < n; i++) {
      const e = this.events[i]!;
      if (e.kind === "gc-phase") phase = e.phase;
      else if (e.kind === "gc-update-refs") gcRefs.set(e.id, e.gcRefs);
      else if (e.kind === "gc-subtract") gcRefs.set(e.to, e.gcRefs);
      else if (e.kind === "gc-reachable" || e.kind === "gc-move-back") status.set(e.id, "reachable");
      else if (e.kind === "gc-tentatively-unreachable") status.set(e.id, "unreachable");
    }
    return { phase: phase ?? "start", ids: [...gcRefs.keys()], gcRefs, status };
  }

  /** Live objects reachable from the names (and those the collection is looking at), in id order. */
  private objects(rt: PyRuntime, roots: ObjId[], extra: number[]): { shown: PyObjectView[]; hidden: number } {
    const seen = new Set<number>();
    const queue: number[] = [...roots, ...extra.filter((id) => rt.space.isLive(id))];
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (seen.has(id) || !rt.space.isLive(id) || isBoring(rt, id)) continue;
      seen.add(id);
      for (const r of rt.space.referents(id as ObjId)) queue.push(r);
    }
    const ids = [...seen].sort((a, b) => a - b);
    const shown = ids.slice(0, MAX_OBJECTS).map((id) => ({
      id,
      type: rt.typeName(id as ObjId),
      refcnt: rt.space.refcnt[id]!,
      tracked: rt.gc.isTracked(id as ObjId),
      repr: clip(formatRepr(rt, id as ObjId, true)),
      refs: rt.space.referents(id as ObjId).filter((r) => seen.has(r)),
    }));
    return { shown, hidden: Math.max(0, ids.length - MAX_OBJECTS) };
  }
}

/** Names the runtime defines itself (modules), not the script. */
function isBuiltinName(name: string): boolean {
  return name === "gc" || name === "sys" || name === "weakref";
}

/** Singletons and classes' internals clutter the picture without teaching anything. */
function isBoring(rt: PyRuntime, id: number): boolean {
  const k = rt.space.kind[id];
  return id === rt.None || id === rt.True || id === rt.False || k === PyKind.NONE;
}

function clip(s: string): string {
  return s.length > 48 ? `${s.slice(0, 45)}...` : s;
}
