/**
 * Options several OSTEP simulators declare alike (same flag, dest, type and help text), so
 * each `*_OPTIONS` table lists them by name. The help text is the originals', word for word:
 * the `-h` output is compared with theirs.
 */
import type { OptionSpec } from "./optparse.js";

/** `-s/--seed`, an int defaulting to 0. */
export const SEED_OPTION: OptionSpec = {
  short: "-s",
  long: "--seed",
  dest: "seed",
  type: "int",
  default: 0,
  help: "the random seed",
};

/** `-A/--addresses`: a comma-separated list of addresses, "-1" meaning draw them. */
export const ADDRESS_LIST_OPTION: OptionSpec = {
  short: "-A",
  long: "--addresses",
  dest: "addresses",
  type: "string",
  default: "-1",
  help: "a set of comma-separated pages to access; -1 means randomly generate",
};

/** `-a/--asize`: the address-space size as text (16, 64k, 32m, 1g), default `size`. */
export function asizeOption(size: string): OptionSpec {
  return {
    short: "-a",
    long: "--asize",
    dest: "asize",
    type: "string",
    default: size,
    help: "address space size (e.g., 16, 64k, 32m, 1g)",
  };
}

/** `-p/--physmem`: the physical-memory size as text, default `size`. */
export function physmemOption(size: string): OptionSpec {
  return {
    short: "-p",
    long: "--physmem",
    dest: "psize",
    type: "string",
    default: size,
    help: "physical memory size (e.g., 16, 64k, 32m, 1g)",
  };
}

/** `-n` with the long name the original gives it: how many addresses to draw (dest `num`). */
export function addressCountOption(long: string, count: number): OptionSpec {
  return {
    short: "-n",
    long,
    dest: "num",
    type: "int",
    default: count,
    help: "number of virtual addresses to generate",
  };
}

/** `-c` (with `long` when the original has one): print the answers (dest `solve`). */
export function computeOption(long?: string): OptionSpec {
  const c = {
    short: "-c",
    dest: "solve",
    type: "flag",
    default: false,
    help: "compute answers for me",
  } as const;
  return long === undefined ? c : { ...c, long };
}
