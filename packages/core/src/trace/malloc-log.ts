/**
 * Allocation logs of either kind behind one interface, with the format told from the
 * first meaningful line.
 */
import type { InputError } from "../base/errors.js";
import type { MallocTrace } from "./malloc-trace.js";
import { ValgrindMallocParser } from "./malloc-valgrind.js";
import { MtraceParser } from "./mtrace.js";

export type MallocLogFormat = "valgrind" | "mtrace";

export interface MallocLogParser {
  line(text: string, lineNo: number): InputError | null;
  finish(): MallocTrace[];
}

/** A parser for `format`. */
export function mallocLogParser(format: MallocLogFormat): MallocLogParser {
  return format === "valgrind" ? new ValgrindMallocParser() : new MtraceParser();
}

/** The format a log's first non-empty line announces, or null when it is neither. */
export function detectMallocLogFormat(firstLine: string): MallocLogFormat | null {
  if (/^(==|--)\d+(==|--)/.test(firstLine)) return "valgrind";
  if (firstLine.startsWith("= Start") || firstLine.startsWith("@ ")) return "mtrace";
  return null;
}
