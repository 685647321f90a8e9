/**
 * OSTEP-compatible exercises: the six memory homework simulators of "Operating Systems:
 * Three Easy Pieces" (relocation, segmentation, malloc, linear and two-level paging, paging
 * policy), generating the same problems from the same seeds and printing the same text.
 */
export {
  type AllocResult,
  type FitPolicy,
  type FreeChunk,
  type FreeListConfig,
  FreeListHeap,
  type FreeListOrder,
  MALLOC_OPTIONS,
  runMalloc,
} from "./malloc.js";
export {
  formatHelp,
  type OptionSpec,
  type OptParse,
  type OptValue,
  type OptValues,
  optparse,
  wrapText as pyTextWrap,
} from "./optparse.js";
export {
  type LinearAnswer,
  type LinearPageTable,
  PAGING_LINEAR_OPTIONS,
  runPagingLinear,
  translateLinear,
} from "./paging-linear.js";
export {
  buildTwoLevelMachine,
  PAGING_MULTILEVEL_OPTIONS,
  runPagingMultilevel,
  type TwoLevelMachine,
  type TwoLevelWalk,
  type WalkLevel,
  walkTwoLevel,
} from "./paging-multilevel.js";
export {
  type CachePolicy,
  type CacheStep,
  PAGING_POLICY_OPTIONS,
  PageCache,
  type ReferenceString,
  runPagingPolicy,
} from "./paging-policy.js";
export {
  fixedDigits,
  type PyFloat,
  type PyValue,
  pyFloat,
  pyPercent,
  pyPrintArgs,
  pyRepr,
  pyStr,
} from "./pyformat.js";
export { convertSize, optparseInt, type PyIntResult, pyInt } from "./pyint.js";
export {
  findOstepSimulator,
  invokeOstep,
  OSTEP_SIMULATORS,
  type OstepInvocation,
  type OstepSimulator,
} from "./registry.js";
export {
  type BaseBounds,
  drawBaseBounds,
  RELOCATION_OPTIONS,
  type RelocationAnswer,
  relocate,
  runRelocation,
} from "./relocation.js";
export {
  runSegmentation,
  SEGMENTATION_OPTIONS,
  type SegmentAnswer,
  type SegmentRegisters,
  translateSegmented,
} from "./segmentation.js";
export {
  type OstepHost,
  type OstepRun,
  OstepStop,
  record as recordOstepRun,
  Transcript as OstepTranscript,
} from "./transcript.js";
