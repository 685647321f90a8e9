/**
 * OSTEP's `paging-policy.py` (chapter "Beyond Physical Memory: Policies"): a page cache of
 * C pages replaying a reference string under FIFO, LRU, MRU, OPT (Belady), UNOPT (evicts
 * the page needed soonest), RAND, or CLOCK. Its CLOCK is the book's approximation with a
 * small counter per page (up to -b "clock bits") and a randomly placed hand: each probe
 * picks a random resident page and decrements its counter; a page at 0 is the victim.
 *
 * Draw order after `random.seed(seed)`: one draw per generated address (only without -a
 * and -f), then, while solving, one draw per RAND eviction or CLOCK probe.
 */
import { PyRandom } from "../base/index.js";
import { computeOption } from "./options.js";
import type { OptionSpec, OptValues } from "./optparse.js";
import { type CachePolicy, isCachePolicy, PageCache, type ReferenceString } from "./page-cache.js";
import { fixedDigits, type PyValue } from "./pyformat.js";
import { type OstepHost, type OstepRun, record, type Transcript } from "./transcript.js";
import { flagOption, intOption, intOrStop, pyTrunc, stringOption } from "./values.js";

export const PAGING_POLICY_OPTIONS: readonly OptionSpec[] = [
  {
    short: "-a",
    long: "--addresses",
    dest: "addresses",
    type: "string",
    default: "-1",
    help: "a set of comma-separated pages to access; -1 means randomly generate",
  },
  {
    short: "-f",
    long: "--addressfile",
    dest: "addressfile",
    type: "string",
    default: "",
    help: "a file with a bunch of addresses in it",
  },
  {
    short: "-n",
    long: "--numaddrs",
    dest: "numaddrs",
    type: "string",
    default: "10",
    help: "if -a (--addresses) is -1, this is the number of addrs to generate",
  },
  {
    short: "-p",
    long: "--policy",
    dest: "policy",
    type: "string",
    default: "FIFO",
    help: "replacement policy: FIFO, LRU, OPT, UNOPT, RAND, CLOCK",
  },
  {
    short: "-b",
    long: "--clockbits",
    dest: "clockbits",
    type: "int",
    default: 2,
    help: "for CLOCK policy, how many clock bits to use",
  },
  {
    short: "-C",
    long: "--cachesize",
    dest: "cachesize",
    type: "string",
    default: "3",
    help: "size of the page cache, in pages",
  },
  {
    short: "-m",
    long: "--maxpage",
    dest: "maxpage",
    type: "string",
    default: "10",
    help: "if randomly generating page accesses, this is the max page number",
  },
  { short: "-s", long: "--seed", dest: "seed", type: "string", default: "0", help: "random number seed" },
  {
    short: "-N",
    long: "--notrace",
    dest: "notrace",
    type: "flag",
    default: false,
    help: "do not print out a detailed trace",
  },
  computeOption("--compute"),
];

/** How each policy labels the two ends of its memory list in the trace. */
const LIST_ENDS: Record<CachePolicy, readonly [string, string]> = {
  FIFO: ["FirstIn", "Lastin "],
  LRU: ["LRU", "MRU"],
  MRU: ["LRU", "MRU"],
  OPT: ["Left ", "Right"],
  UNOPT: ["Left ", "Right"],
  RAND: ["Left ", "Right"],
  CLOCK: ["Left ", "Right"],
};

/** Runs paging-policy.py with parsed option values; `host` reads the -f file. */
export function runPagingPolicy(values: OptValues, host: OstepHost): OstepRun {
  return record((out) => {
    echoArgs(out, values);
    const numaddrs = intOrStop(out, stringOption(values, "numaddrs"), "number of addresses (-n)");
    const cachesize = intOrStop(out, stringOption(values, "cachesize"), "cache size (-C)");
    const seed = intOrStop(out, stringOption(values, "seed"), "seed (-s)");
    const maxpage = intOrStop(out, stringOption(values, "maxpage"), "max page (-m)");
    const rng = new PyRandom(seed);
    const refs = referenceString(out, rng, host, values, numaddrs, maxpage);
    const policy = stringOption(values, "policy");
    if (!flagOption(values, "solve")) {
      printQuestions(out, policy, cachesize, refs);
      return;
    }
    const notrace = flagOption(values, "notrace");
    if (!notrace) out.print("Solving...\n");
    if (!isCachePolicy(policy)) {
      out.printf("Policy %s is not yet implemented", policy);
      return out.exit(1);
    }
    solve(
      out,
      new PageCache(policy, cachesize, intOption(values, "clockbits"), rng, refs, out),
      policy,
      refs,
      notrace,
    );
  });
}

function echoArgs(out: Transcript, v: OptValues): void {
  out.print("ARG addresses", stringOption(v, "addresses"));
  out.print("ARG addressfile", stringOption(v, "addressfile"));
  out.print("ARG numaddrs", stringOption(v, "numaddrs"));
  out.print("ARG policy", stringOption(v, "policy"));
  out.print("ARG clockbits", intOption(v, "clockbits"));
  out.print("ARG cachesize", stringOption(v, "cachesize"));
  out.print("ARG maxpage", stringOption(v, "maxpage"));
  out.print("ARG seed", stringOption(v, "seed"));
  out.print("ARG notrace", flagOption(v, "notrace"));
  out.print("");
}

function referenceString(
  out: Transcript,
  rng: PyRandom,
  host: OstepHost,
  v: OptValues,
  numaddrs: number,
  maxpage: number,
): ReferenceString {
  const file = stringOption(v, "addressfile");
  const addresses = stringOption(v, "addresses");
  let items: (number | string)[];
  if (file !== "") items = readAddressFile(out, host, file);
  else if (addresses === "-1") {
    items = [];
    for (let i = 0; i < numaddrs; i++) items.push(pyTrunc(maxpage * rng.random()));
  } else items = addresses.split(",");
  const parsed = new Map<number, number>();
  return {
    length: items.length,
    pageAt(i: number): number {
      const item = items[i]!;
      if (typeof item === "number") return item;
      const known = parsed.get(i);
      if (known !== undefined) return known;
      const n = intOrStop(out, item, `page ${i} in -a`);
      parsed.set(i, n);
      return n;
    },
  };
}

/** One int per line, as `for line in open(file): int(line)` reads it. */
function readAddressFile(out: Transcript, host: OstepHost, file: string): number[] {
  const r = host.readFile(file);
  if (!r.ok) out.crash(`cannot read address file '${file}' (-f): ${r.reason}`);
  const lines = r.text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((line, i) => intOrStop(out, line, `${file}:${i + 1}`));
}

function printQuestions(out: Transcript, policy: string, cachesize: number, refs: ReferenceString): void {
  out.printf("Assuming a replacement policy of %s, and a cache of size %d pages,", policy, cachesize);
  out.print("figure out whether each of the following page references hit or miss");
  out.print("in the page cache.\n");
  for (let i = 0; i < refs.length; i++) out.printf("Access: %d  Hit/Miss?  State of Memory?", refs.pageAt(i));
  out.print("");
}

function solve(
  out: Transcript,
  cache: PageCache,
  policy: CachePolicy,
  refs: ReferenceString,
  notrace: boolean,
): void {
  const [left, right] = LIST_ENDS[policy];
  let hits = 0;
  let misses = 0;
  for (let i = 0; i < refs.length; i++) {
    const step = cache.access(refs.pageAt(i), i);
    out.append("steps", step);
    if (step.hit) hits++;
    else misses++;
    if (!notrace) {
      // The original prints '-' for "no victim" and, by accident, for a victim page -1.
      const victim = step.victim === null || step.victim === -1 ? "-" : String(step.victim);
      const memory: PyValue = step.memory;
      out.printf(
        "Access: %d  %s %s -> %12s <- %s Replaced:%s [Hits:%d Misses:%d]",
        step.page,
        step.hit ? "HIT " : "MISS",
        left,
        memory,
        right,
        victim,
        hits,
        misses,
      );
    }
  }
  out.print("");
  if (hits + misses === 0)
    out.crash("no page references to compute a hit rate from (the original divides by zero)");
  const rate = (100.0 * hits) / (hits + misses);
  out.note("hits", hits);
  out.note("misses", misses);
  out.note("hitRate", rate);
  out.print(`FINALSTATS hits ${hits}   misses ${misses}   hitrate ${fixedDigits(rate, 2)}`);
  out.print("");
}
