export { AgingPolicy } from "./aging.js";
export { ArcPolicy } from "./arc.js";
export { ClockPolicy } from "./clock.js";
export { DList, Links } from "./dlist.js";
export { FifoPolicy } from "./fifo.js";
export { GhostList } from "./ghost.js";
export { hashKey, KeyMap } from "./keymap.js";
export { LfuPolicy } from "./lfu.js";
export { LirsPolicy } from "./lirs.js";
export { LruPolicy } from "./lru.js";
export { MruPolicy } from "./mru.js";
export { NruPolicy } from "./nru.js";
export { nextUseTimes, OptPolicy } from "./opt.js";
export type { Expiring, FutureAware, PolicyOptions, ReplacementPolicy } from "./policy.js";
export { isExpiring, isFutureAware } from "./policy.js";
export { RandomPolicy } from "./random.js";
export { createPolicy, POLICY_NAMES, type PolicyName, resolvePolicyName } from "./registry.js";
export { S3FifoPolicy } from "./s3fifo.js";
export { SievePolicy } from "./sieve.js";
export {
  narrowIndexFits,
  type RefBatch,
  ReplacementSim,
  type ReplacementSimOptions,
  type ReplacementStats,
} from "./sim.js";
export { SlotIndex } from "./slot-index.js";
export { TwoQPolicy } from "./twoq.js";
export { WorkingSetPolicy } from "./ws.js";
export { WsClockPolicy } from "./wsclock.js";
