/**
 * `expect METRIC OP VALUE`: checks one value of the run report at that point. METRIC is a
 * dotted path into the report; a leading process name stands for `processes.NAME`
 * (`A.faults.cow` is `processes.A.faults.cow`).
 */
import type { MachineReport } from "../kernel/report.js";
import type { CompareOp, Stmt } from "./ast.js";

/** A failed expectation, for the final summary and the exit code. */
export interface ExpectFailure {
  readonly line: number;
  readonly message: string;
}

export type ExpectResult =
  | { readonly kind: "pass"; readonly text: string }
  | { readonly kind: "fail"; readonly failure: ExpectFailure }
  | { readonly kind: "unknown"; readonly message: string };

type Scalar = number | string | boolean | null;

/** The value at `path` in the report, or a sentence saying which part does not exist. */
export function metricValue(
  report: MachineReport,
  path: string,
  processes: readonly string[],
): { value: Scalar } | { error: string } {
  const parts = path.split(".");
  let node: unknown = report;
  if (processes.includes(parts[0] as string)) node = report.processes;
  let walked = "";
  for (const part of parts) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, part)) {
      const keys = node !== null && typeof node === "object" ? Object.keys(node).join(", ") : "";
      const where = walked === "" ? "the report" : walked;
      return {
        error: `unknown metric "${path}": ${where} has no "${part}"${keys === "" ? "" : ` (it has: ${keys})`}`,
      };
    }
    node = (node as Record<string, unknown>)[part];
    walked = walked === "" ? part : `${walked}.${part}`;
  }
  if (node !== null && typeof node === "object")
    return { error: `metric "${path}" is a group; name one of: ${Object.keys(node).join(", ")}` };
  return { value: node as Scalar };
}

function compare(actual: Scalar, op: CompareOp, expected: number | string): boolean | null {
  if (typeof expected === "number") {
    if (typeof actual !== "number") return null;
    switch (op) {
      case "==":
        return actual === expected;
      case "!=":
        return actual !== expected;
      case "<":
        return actual < expected;
      case "<=":
        return actual <= expected;
      case ">":
        return actual > expected;
      case ">=":
        return actual >= expected;
    }
  }
  const text = actual === null ? "null" : String(actual);
  return op === "==" ? text === expected : text !== expected;
}

/** Evaluates an expect statement against `report`. */
export function evaluateExpect(
  report: MachineReport,
  stmt: Extract<Stmt, { kind: "expect" }>,
  processes: readonly string[],
): ExpectResult {
  const v = metricValue(report, stmt.metric, processes);
  if ("error" in v) return { kind: "unknown", message: v.error };
  const ok = compare(v.value, stmt.op, stmt.value);
  const shown = v.value === null ? "null" : String(v.value);
  if (ok === null)
    return {
      kind: "unknown",
      message: `metric "${stmt.metric}" is ${shown}, not a number, so it cannot be compared with ${stmt.value}`,
    };
  if (ok) return { kind: "pass", text: `expect ${stmt.source}: ok (${stmt.metric} is ${shown})` };
  return {
    kind: "fail",
    failure: { line: stmt.line, message: `expect ${stmt.source} failed: ${stmt.metric} is ${shown}` },
  };
}
