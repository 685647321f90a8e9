/**
 * A broken internal invariant: a bug in memsim, never a user mistake and never a
 * simulated failure (those are results and events). `code` is a stable identifier,
 * the message reads "where: why".
 */
export class SimError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "SimError";
    this.code = code;
  }
}

/** Throws `SimError` when `cond` is false. For invariants, not for user input. */
export function invariant(cond: unknown, code: string, message: string): asserts cond {
  if (!cond) throw new SimError(code, message);
}

/**
 * A user mistake found at the edge (a trace line, a scenario, a flag): where it is and a
 * plain sentence saying what was expected. Returned as data, never thrown across the core API.
 * `line` and `col` are 1-based; `col` is 0 when unknown.
 */
export interface InputError {
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

/** `FILE:LINE:COL: message` (or `FILE:LINE: message` when the column is unknown). */
export function formatInputError(file: string, e: InputError): string {
  return e.col > 0 ? `${file}:${e.line}:${e.col}: ${e.message}` : `${file}:${e.line}: ${e.message}`;
}

/** A value or an input error, for parsers and configuration checks. */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: InputError };

export const parsedOk = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const parsedErr = <T>(line: number, col: number, message: string): Parsed<T> => ({
  ok: false,
  error: { line, col, message },
});

/** A configuration check: `null` when valid, else a sentence saying what is wrong. */
export type ConfigProblem = string | null;
