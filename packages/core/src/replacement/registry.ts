/**
 * The policy registry: every replacement policy by name. Adding a policy = one module and
 * one line in `FACTORIES`.
 */
import { AgingPolicy } from "./aging.js";
import { ArcPolicy } from "./arc.js";
import { ClockPolicy } from "./clock.js";
import { FifoPolicy } from "./fifo.js";
import { LfuPolicy } from "./lfu.js";
import { LirsPolicy } from "./lirs.js";
import { LruPolicy } from "./lru.js";
import { MruPolicy } from "./mru.js";
import { NruPolicy } from "./nru.js";
import { OptPolicy } from "./opt.js";
import type { PolicyOptions, ReplacementPolicy } from "./policy.js";
import { RandomPolicy } from "./random.js";
import { S3FifoPolicy } from "./s3fifo.js";
import { SievePolicy } from "./sieve.js";
import { TwoQPolicy } from "./twoq.js";
import { WorkingSetPolicy } from "./ws.js";
import { WsClockPolicy } from "./wsclock.js";

type Factory = (o: PolicyOptions) => ReplacementPolicy;

const FACTORIES = {
  fifo: (o) => new FifoPolicy(o.capacity),
  lru: (o) => new LruPolicy(o.capacity),
  mru: (o) => new MruPolicy(o.capacity),
  lfu: (o) => new LfuPolicy(o.capacity),
  random: (o) => new RandomPolicy(o.capacity, o.seed),
  opt: (o) => new OptPolicy(o.capacity),
  clock: (o) => new ClockPolicy(o.capacity),
  nru: (o) => new NruPolicy(o.capacity),
  aging: (o) => new AgingPolicy(o.capacity, o.bits, o.tick),
  ws: (o) => new WorkingSetPolicy(o.capacity, o.window),
  wsclock: (o) => new WsClockPolicy(o.capacity, o.window),
  arc: (o) => new ArcPolicy(o.capacity),
  "2q": (o) => new TwoQPolicy(o.capacity),
  lirs: (o) => new LirsPolicy(o.capacity),
  sieve: (o) => new SievePolicy(o.capacity),
  "s3-fifo": (o) => new S3FifoPolicy(o.capacity),
} satisfies Record<string, Factory>;

/** A registered policy name. */
export type PolicyName = keyof typeof FACTORIES;

/** Every registered policy name, in the order tables list them. */
export const POLICY_NAMES: readonly PolicyName[] = Object.keys(FACTORIES) as PolicyName[];

/** Other spellings users type, mapped to the registered name. */
const ALIASES: Readonly<Record<string, PolicyName>> = {
  "second-chance": "clock",
  belady: "opt",
  min: "opt",
  "enhanced-clock": "nru",
  "working-set": "ws",
  s3fifo: "s3-fifo",
  twoq: "2q",
};

/** The registered name for `name` (case-insensitive, aliases allowed), or undefined. */
export function resolvePolicyName(name: string): PolicyName | undefined {
  const n = name.trim().toLowerCase();
  if (Object.hasOwn(FACTORIES, n)) return n as PolicyName;
  return ALIASES[n];
}

/**
 * A fresh policy instance managing `options.capacity` slots. Throws `RangeError` for an
 * unknown name or a capacity below 1 (callers validate user input first with
 * `resolvePolicyName`).
 */
export function createPolicy(name: string, options: PolicyOptions): ReplacementPolicy {
  const resolved = resolvePolicyName(name);
  if (resolved === undefined)
    throw new RangeError(`unknown replacement policy "${name}" (known: ${POLICY_NAMES.join(", ")})`);
  if (!Number.isInteger(options.capacity) || options.capacity < 1)
    throw new RangeError(`policy capacity must be a positive integer, got ${options.capacity}`);
  return FACTORIES[resolved](options);
}
