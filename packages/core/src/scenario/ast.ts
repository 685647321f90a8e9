/**
 * The parsed form of a `.msim` scenario: one statement per command line.
 */
import type { VerbAction } from "./registry.js";

/** Machine settings from a `config` line (every field optional: defaults apply). */
export interface ScenarioConfig {
  frames?: number;
  pageSize?: number;
  format?: string;
  tlbEntries?: number;
  /** Ways per set; 0 means fully associative. */
  tlbWays?: number;
  tlbPolicy?: string;
  policy?: string;
  swapSlots?: number;
  asid?: boolean;
  seed?: number;
  allocator?: "buddy" | "freelist";
  wmarkMin?: number;
  wmarkLow?: number;
  wmarkHigh?: number;
  kswapd?: boolean;
  guardGap?: number;
}

export type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=";

interface At {
  readonly line: number;
  readonly col: number;
}

/** One statement. */
export type Stmt =
  | (At & { readonly kind: "config"; readonly config: ScenarioConfig })
  | (At & { readonly kind: "lib"; readonly name: string; readonly size: number })
  | (At & {
      readonly kind: "spawn";
      readonly name: string;
      readonly text: number;
      readonly data: number;
      readonly bss: number;
      readonly stack: number;
      readonly libs: readonly { readonly name: string; readonly col: number }[];
    })
  | (At & { readonly kind: "shm-create"; readonly name: string; readonly size: number })
  | (At & { readonly kind: "shm-remove"; readonly name: string })
  | (At & {
      readonly kind: "process";
      readonly process: string;
      readonly verb: string;
      readonly action: VerbAction;
    })
  | (At & { readonly kind: "repeat"; readonly count: number; readonly body: Stmt })
  | (At & {
      readonly kind: "expect";
      readonly metric: string;
      readonly metricCol: number;
      readonly op: CompareOp;
      readonly value: number | string;
      readonly valueCol: number;
      readonly source: string;
    })
  | (At & { readonly kind: "show"; readonly view: ShowView; readonly process: string | null })
  | (At & { readonly kind: "check" });

/** The /proc-style views `show` can print. */
export type ShowView = "maps" | "status" | "smaps" | "meminfo" | "frames";

/** A whole scenario. */
export interface Scenario {
  readonly statements: readonly Stmt[];
}
