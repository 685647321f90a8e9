/**
 * The engine worker's methods: for each, what the page sends and what comes back.
 * Typed arrays travel by structured clone (copied, never moved: a moved buffer would be
 * detached, and V8 then slows every typed-array access of the worker).
 */
import type { PolicyGrid } from "../engine/replacement-grid.js";

/** Where the references of a replacement run come from. */
export type RefSource =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "file"; readonly file: Blob; readonly name: string };

/** Parameters of a replacement comparison. */
export interface ReplaceParams {
  readonly source: RefSource;
  readonly policies: readonly string[];
  /** Frames for the grids. */
  readonly frames: number;
  /** The miss-ratio curves go from 1 to this many frames. */
  readonly maxFrames: number;
  /** Grids record at most this many references (the curves use all of them). */
  readonly gridLimit: number;
}

/** A miss count for each frame count of a curve. */
export interface MissCurve {
  readonly policy: string;
  readonly frames: readonly number[];
  readonly misses: readonly number[];
}

/** Frame counts where a policy missed more with one more frame (Belady's anomaly). */
export interface Anomaly {
  readonly policy: string;
  readonly frames: number;
  readonly misses: number;
  readonly moreFrames: number;
  readonly moreMisses: number;
}

/** The outcome of a replacement comparison. */
export interface ReplaceResult {
  /** The trace format the references were read in. */
  readonly format: string;
  readonly accesses: number;
  readonly distinctPages: number;
  /** The first `gridLimit` references (what the grids show). */
  readonly refs: Float64Array;
  readonly grids: readonly PolicyGrid[];
  readonly curves: readonly MissCurve[];
  readonly anomalies: readonly Anomaly[];
  /** Misses of each policy over all references at `frames`. */
  readonly totals: readonly { readonly policy: string; readonly misses: number }[];
}

/** One event of a scenario run as the timeline lists it. */
export interface EventRow {
  /** The step this event ends (step n shows the machine after events 0..n-1). */
  readonly step: number;
  readonly kind: string;
  readonly sentence: string;
  /** Source line of the command that caused it. */
  readonly line: number;
  /** For a kernel page fault: what predict mode may show beforehand, and the answer. */
  readonly fault?: {
    readonly kind: string;
    readonly who: string;
    readonly va: number;
    readonly access: string;
    /** The engine's sentence classifying the fault. */
    readonly answer: string;
  };
}

/** One level of the page walk of the access being shown. */
export interface WalkLevelView {
  readonly level: number;
  /** The frame of the table page read at this level. */
  readonly tablePfn: number;
  readonly index: number;
  readonly entryAddr: number;
  readonly entry: string;
  readonly valid: boolean;
  readonly pfn: number;
  /** PTE bits spelled out (`valid`, `write`, `cow`…). */
  readonly bits: readonly string[];
}

/** One page-table page and its used entries, as the page-table tree shows it. */
export interface PtNode {
  readonly level: number;
  /** The frame holding this table page. */
  readonly pfn: number;
  readonly entries: readonly {
    readonly index: number;
    /** The next level's table (inner levels). */
    readonly child?: PtNode;
    /** The page the entry maps (last level): its frame (or -1) or swap slot, and its bits. */
    readonly leaf?: {
      readonly vpn: number;
      readonly pfn: number;
      readonly slot: number;
      readonly bits: readonly string[];
    };
  }[];
}

/** A process as the process view shows it. */
export interface ProcessView {
  readonly pid: number;
  readonly name: string;
  readonly state: string;
  readonly signal: string | null;
  /** /proc/PID/maps text. */
  readonly maps: string;
  readonly rssPages: number;
  readonly swapPages: number;
  readonly faults: Readonly<Record<string, number>>;
  /** Resident and swapped pages: vpn, frame (or -1), swap slot (or -1), bits spelled out. */
  readonly pages: readonly {
    readonly vpn: number;
    readonly pfn: number;
    readonly slot: number;
    readonly bits: readonly string[];
  }[];
  /** The page-table tree (null once the process has exited); at most 512 pages shown. */
  readonly tree: PtNode | null;
}

/** One valid TLB entry. */
export interface TlbRow {
  readonly slot: number;
  readonly asid: number;
  readonly vpn: number;
  readonly pfn: number;
  readonly bits: readonly string[];
  readonly global: boolean;
}

/** A process's C heap as the heap view shows it. */
export interface HeapView {
  readonly pid: number;
  readonly process: string;
  readonly policy: string;
  /** The brk heap: [start, end). */
  readonly start: number;
  readonly end: number;
  /** The allocator's blocks in address order (header included in `size`). */
  readonly blocks: readonly {
    readonly addr: number;
    readonly payload: number;
    readonly size: number;
    readonly free: boolean;
    readonly mmapped: boolean;
    /** What the program asked for (memcheck's record), if any; `freed` while quarantined. */
    readonly user: { readonly addr: number; readonly size: number; readonly freed: boolean } | null;
    /** Pointer variables holding an address inside the block. */
    readonly pointedBy: readonly string[];
    /** memcheck messages about this block so far (first line each). */
    readonly errors: readonly string[];
  }[];
  readonly vars: readonly {
    readonly name: string;
    readonly addr: number;
    readonly local: boolean;
    readonly value: number;
  }[];
  /** Broken heap invariants found by the allocator's walker (none when healthy). */
  readonly problems: readonly string[];
  /** memcheck's messages so far. */
  readonly errors: readonly { readonly line: number; readonly text: string }[];
}

/** The machine at one step of a scenario run. */
export interface MachineState {
  readonly step: number;
  /** Steps known so far (the total once `complete`). */
  readonly length: number;
  readonly complete: boolean;
  /** The event that led to this step (null at step 0). */
  readonly event: EventRow | null;
  /** Frames the event concerns, to highlight. */
  readonly touched: readonly number[];
  /** Category index (see FRAME_CATEGORIES), owner pid (-1 none) and map count per frame. */
  readonly frames: {
    readonly category: Uint8Array;
    readonly owner: Int32Array;
    readonly mapCount: Int32Array;
  };
  /** Owner pid per swap slot, -1 when free. */
  readonly swap: Int32Array;
  readonly processes: readonly ProcessView[];
  readonly tlb: readonly TlbRow[];
  /** The walk of the access in progress at this step, level by level (may be empty). */
  readonly walk: readonly WalkLevelView[];
  readonly walkPid: number;
  readonly meminfo: string;
  /** The C heaps of processes that use malloc. */
  readonly heaps: readonly HeapView[];
  /** What the scenario printed so far (show, expect, memcheck), with its line. */
  readonly output: readonly { readonly line: number; readonly text: string }[];
}

/** Who maps one frame, for the frame map's click. */
export interface FrameOwners {
  readonly pfn: number;
  readonly category: string;
  readonly mapCount: number;
  readonly mappers: readonly {
    readonly pid: number;
    readonly name: string;
    readonly vpn: number;
    readonly bits: readonly string[];
  }[];
  readonly note: string;
}

/** A loaded scenario, or the first mistake in it. */
export type ScenarioLoad =
  | {
      readonly kind: "loaded";
      readonly length: number;
      readonly complete: boolean;
      readonly names: readonly [number, string][];
    }
  | { readonly kind: "error"; readonly message: string; readonly line: number; readonly col: number };

/** One Python object as the Python view draws it. */
export interface PyObjectView {
  readonly id: number;
  readonly type: string;
  readonly refcnt: number;
  /** Tracked by the cycle collector (containers and instances). */
  readonly tracked: boolean;
  readonly repr: string;
  /** Ids of the shown objects it refers to. */
  readonly refs: readonly number[];
}

/** The Python runtime at one step of a pygc script. */
export interface PyState {
  readonly step: number;
  readonly length: number;
  readonly sentence: string;
  readonly kind: string;
  /** The collector's phase while a collection runs, else null. */
  readonly phase: string | null;
  readonly names: readonly { readonly name: string; readonly id: number }[];
  readonly objects: readonly PyObjectView[];
  /** Objects not drawn (over the limit). */
  readonly hidden: number;
  readonly output: readonly string[];
  /** During a collection: gc_refs and reachability verdicts so far, by object id. */
  readonly gcRefs: readonly (readonly [number, number])[];
  readonly status: readonly (readonly [number, string])[];
  /** The Python exception that ended the script, shown at the last step. */
  readonly error: string | null;
}

/** Every method of the engine worker. */
export interface Api {
  hello: { params: Record<string, never>; result: { readonly policies: readonly string[] } };
  replace: { params: ReplaceParams; result: ReplaceResult };
  /** Parses and runs a scenario to its end (or a step limit), recording checkpoints. */
  "scenario-load": { params: { readonly source: string; readonly limit?: number }; result: ScenarioLoad };
  /** The machine at `step` (clamped to the run). */
  "scenario-state": { params: { readonly step: number }; result: MachineState };
  /** `count` events from step `from` + 1 on. */
  "scenario-events": {
    params: { readonly from: number; readonly count: number };
    result: readonly EventRow[];
  };
  /** The next (direction 1) or previous (-1) step after `from` whose event kind is in `kinds`, or -1. */
  "scenario-find": {
    params: { readonly from: number; readonly direction: 1 | -1; readonly kinds: readonly string[] };
    result: number;
  };
  /** Who maps frame `pfn` at the current step. */
  "frame-owners": { params: { readonly pfn: number }; result: FrameOwners };
  /** Every event of the run as JSON text. */
  "scenario-export": { params: Record<string, never>; result: string };
  /** Parses and runs a pygc script; a syntax error comes back with its place. */
  "pygc-load": { params: { readonly source: string }; result: ScenarioLoad };
  /** The Python runtime at `step`. */
  "pygc-state": { params: { readonly step: number }; result: PyState };
  /** The next (1) or previous (-1) step after `from` whose event kind is in `kinds`, or -1. */
  "pygc-find": {
    params: { readonly from: number; readonly direction: 1 | -1; readonly kinds: readonly string[] };
    result: number;
  };
}

export type Method = keyof Api;
