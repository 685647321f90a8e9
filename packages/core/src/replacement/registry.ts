/**
 * The policy registry: every replacement policy by name. Adding a policy = one module and
 * one line in `FACTORIES`.
 */
import { ClockPolicy } from "./clock.js";
import { FifoPolicy } from "./fifo.js";
import { LruPolicy } from "./lru.js";
import { MruPolicy } from "./mru.js";
import type { PolicyOptions, ReplacementPolicy } from "./policy.js";

type Factory = (o: PolicyOptions) => ReplacementPolicy;

const FACTORIES = {
  fifo: (o) => new FifoPolicy(o.capacity),
  lru: (o) => new LruPolicy(o.capacity),
  mru: (o) => new MruPolicy(o.capacity),
  clock: (o) => new ClockPolicy(o.capacity),
} satisfies Record<string, Factory>;

/** A registered policy name. */
export type PolicyName = keyof typeof FACTORIES;

/** Every registered policy name, in the order tables list them. */
export const POLICY_NAMES: readonly PolicyName[] = Object.keys(FACTORIES) as PolicyName[];

/** Other spellings users type, mapped to the registered name. */
const ALIASES: Readonly<Record<string, PolicyName>> = {
  "second-chance": "clock",
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
