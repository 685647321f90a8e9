/**
 * @memsim/core: the memsim engine. Pure, deterministic, zero runtime dependencies, no I/O.
 * Each concept folder exports its public API through its own index; this file gathers them.
 */

export * from "./analysis/index.js";
export * from "./base/index.js";
export * from "./heap/index.js";
export * from "./hw/index.js";
export * from "./kernel/index.js";
export * from "./managed/index.js";
export * from "./ostep/index.js";
export * from "./replacement/index.js";
export * from "./scenario/index.js";
export * from "./trace/index.js";
