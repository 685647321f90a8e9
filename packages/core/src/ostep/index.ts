/**
 * OSTEP-compatible exercises: the six memory homework simulators of "Operating Systems:
 * Three Easy Pieces" (relocation, segmentation, malloc, linear and two-level paging, paging
 * policy), generating the same problems from the same seeds and printing the same text.
 */
export {
  type AllocResult as OstepAllocResult,
  FIT_POLICIES as OSTEP_FIT_POLICIES,
  type FitPolicy as OstepFitPolicy,
  type FreeChunk as OstepFreeChunk,
  type FreeListConfig as OstepFreeListConfig,
  FreeListHeap as OstepFreeListHeap,
  type FreeListOrder as OstepFreeListOrder,
  LIST_ORDERS as OSTEP_LIST_ORDERS,
} from "./free-list.js";
export { MALLOC_OPTIONS, runMalloc } from "./malloc.js";
export {
  formatHelp as formatOptparseHelp,
  type OptionSpec,
  type OptParse,
  type OptValue,
  type OptValues,
  optparse,
  wrapText as pyTextWrap,
} from "./optparse.js";
export {
  CACHE_POLICIES as OSTEP_CACHE_POLICIES,
  type CachePolicy as OstepCachePolicy,
  type CacheStep as OstepCacheStep,
  isCachePolicy as isOstepCachePolicy,
  PageCache as OstepPageCache,
  type ReferenceString as OstepReferenceString,
} from "./page-cache.js";
export {
  type LinearAnswer as OstepLinearAnswer,
  type LinearPageTable as OstepLinearPageTable,
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
  type WalkLevel as OstepWalkLevel,
  walkTwoLevel,
} from "./paging-multilevel.js";
export { PAGING_POLICY_OPTIONS, runPagingPolicy } from "./paging-policy.js";
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
  OSTEP_JSON_OPTION,
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
