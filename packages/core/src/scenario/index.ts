/**
 * core/scenario: the `.msim` scenario language. Parse with `parseScenario` (errors carry
 * line:col), run with `ScenarioRunner`. Other layers add process commands through
 * `PROCESS_VERBS.register(...)` (see registry.ts and docs/msim.md).
 */
export type { CompareOp, Scenario, ScenarioConfig, ShowView, Stmt } from "./ast.js";
export { type ExpectFailure, type ExpectResult, evaluateExpect, metricValue } from "./expect.js";
export * from "./interpreter.js";
export { type SourceLine, type Token, tokenize, tokenizeLine } from "./lexer.js";
export { parseScenario } from "./parser.js";
export * from "./registry.js";
export * from "./values.js";
export {
  createDefaultVerbs,
  createStandardVerbs,
  DEFAULT_WRITE_BYTE,
  PROCESS_VERBS,
  registerBuiltinVerbs,
} from "./verbs.js";
