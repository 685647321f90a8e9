/**
 * core/managed: the Python runtime's memory (CPython 3.11 object sizes, pymalloc, reference
 * counting, the generational cycle collector, weakrefs, finalizers) and tracing collectors.
 * Generic names of the object table are exported with a `Py` prefix to keep the core API clear.
 */
export * from "./errors.js";
export * from "./events.js";
export * from "./gc.js";
export * from "./generational.js";
export * from "./graph.js";
export { ARENA_LABEL, type CHeap, KernelObjectMemory } from "./kernel-memory.js";
export * from "./memory.js";
export { type PyExpr, type PyStmt, type PyTarget, parsePygc } from "./pygc-parse.js";
export { runPygc } from "./pygc-run.js";
export {
  ALIGNMENT as PYMALLOC_ALIGNMENT,
  ARENA_SIZE as PYMALLOC_ARENA_SIZE,
  classBlockSize,
  POOL_OVERHEAD as PYMALLOC_POOL_OVERHEAD,
  POOL_SIZE as PYMALLOC_POOL_SIZE,
  Pymalloc,
  type PymallocStats,
  SMALL_REQUEST_THRESHOLD,
  sizeClassOf,
} from "./pymalloc.js";
export { formatRepr } from "./repr.js";
export * from "./runtime.js";
export * from "./sizes.js";
export {
  F_FINALIZED as PY_FINALIZED,
  F_TRACKED as PY_TRACKED,
  isGcKind,
  KIND_NAMES as PY_KIND_NAMES,
  Kind as PyKind,
  NULL_REF,
  ObjectSpace,
  type ObjId,
} from "./space.js";
export * from "./tracing.js";
