export {
  BatchWriter,
  DEFAULT_BATCH,
  expectedFound,
  type RefSink,
  showBytes,
  type TraceParser,
} from "./batch.js";
export { type CsvOptions, CsvParser } from "./csv.js";
export {
  createTraceParser,
  detectTraceFormat,
  parseTraceFormat,
  TRACE_FORMATS,
  type TraceFormat,
  type TraceOptions,
} from "./format.js";
export { type LackeyOptions, LackeyParser } from "./lackey.js";
export { type LineHandler, LineSplitter, LineTraceParser } from "./lines.js";
export { ORACLE_RECORD, OracleGeneralParser } from "./oracle.js";
export { hexDigit, RefsParser } from "./refs.js";
