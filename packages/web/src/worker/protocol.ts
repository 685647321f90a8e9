/**
 * The engine worker's methods: for each, what the page sends and what comes back.
 * Typed arrays travel by structured clone; big results are transferred.
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
  readonly accesses: number;
  readonly distinctPages: number;
  /** The first `gridLimit` references (what the grids show). */
  readonly refs: Int32Array;
  readonly grids: readonly PolicyGrid[];
  readonly curves: readonly MissCurve[];
  readonly anomalies: readonly Anomaly[];
  /** Misses of each policy over all references at `frames`. */
  readonly totals: readonly { readonly policy: string; readonly misses: number }[];
}

/** Every method of the engine worker. */
export interface Api {
  hello: { params: Record<string, never>; result: { readonly policies: readonly string[] } };
  replace: { params: ReplaceParams; result: ReplaceResult };
}

export type Method = keyof Api;
