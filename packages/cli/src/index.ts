export type { CommandContext, CommandModule } from "./command.js";
export { type Io, memoryIo, nodeIo, UsageError } from "./io.js";
export { JIT_FLAGS, tuneJit } from "./jit.js";
export { buildProgram, main } from "./main.js";
export { type AheadSink, PARSE_POOL, parseAheadAvailable, streamTraceAhead } from "./parse-ahead.js";
export { lruStackPass } from "./stack-pass.js";
export { runSweep, type SweepJob, type SweepRow, type SweepRun } from "./sweep.js";
export { type FormatChoice, type ProgressFn, streamTrace } from "./trace-source.js";
export { VERSION } from "./version.js";
