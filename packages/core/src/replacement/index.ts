export type { FutureAware, PolicyOptions, ReplacementPolicy } from "./policy.js";
