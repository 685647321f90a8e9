/**
 * Machine configuration: the hardware shape plus the kernel's choices, with defaults and
 * one sentence per mistake.
 */
import type { PageTableFormat } from "../hw/format.js";
import { checkFrameCount, presetFormat } from "../hw/format.js";
import { checkTlbConfig, type TlbConfig, type TlbPolicy } from "../hw/tlb.js";
import { isFutureAware } from "../replacement/policy.js";
import { createPolicy, resolvePolicyName } from "../replacement/registry.js";
import type { FrameAllocatorKind } from "./frame-allocator.js";
import type { Watermarks } from "./kernel.js";

/** What a machine is built from. Every field has a default. */
export interface MachineConfig {
  /** Physical frames (default 64). */
  readonly frames?: number;
  /** A page-table format preset (default `x86-64`). */
  readonly format?: string;
  /** Must equal the format's page size when given (a check, not a choice). */
  readonly pageSize?: number;
  /** TLB entries (default 16). */
  readonly tlbEntries?: number;
  /** TLB ways per set; 0 = fully associative (default 4). */
  readonly tlbWays?: number;
  /** TLB replacement within a set (default lru). */
  readonly tlbPolicy?: string;
  /** Page replacement policy name from the replacement registry (default clock). */
  readonly policy?: string;
  /** Swap slots (default twice the frames, or 0 when the format cannot hold swap entries). */
  readonly swapSlots?: number;
  /** Tag TLB entries with ASIDs (true, default) or flush the TLB on every switch. */
  readonly asid?: boolean;
  /** Seed for every random choice (TLB random replacement, random page replacement). */
  readonly seed?: number;
  /** Frame allocator (default buddy). */
  readonly allocator?: FrameAllocatorKind;
  /** Free-frame watermarks in frames (defaults scale with the frame count). */
  readonly watermarks?: Partial<Watermarks>;
  /** Background reclaim (default on). */
  readonly kswapd?: boolean;
  /** Stack guard gap in bytes (default 256 pages on big address spaces, else 1 page). */
  readonly guardGap?: number;
}

/** A checked configuration with every default filled in. */
export interface ResolvedConfig {
  readonly frames: number;
  readonly format: PageTableFormat;
  readonly tlb: TlbConfig;
  readonly policy: string;
  readonly swapSlots: number;
  readonly asid: boolean;
  readonly seed: number;
  readonly allocator: FrameAllocatorKind;
  readonly watermarks: Watermarks;
  readonly kswapd: boolean;
  readonly guardGap: number | undefined;
}

/** Default watermarks: min = frames/64 (at least 1), low and high one step more each. */
export function defaultWatermarks(frames: number): Watermarks {
  const step = Math.max(1, Math.floor(frames / 64));
  return { min: step, low: 2 * step, high: 3 * step };
}

/** Checks `c` and fills defaults; a sentence saying what is wrong otherwise. */
export function resolveConfig(c: MachineConfig): ResolvedConfig | string {
  const fmt = presetFormat(c.format ?? "x86-64");
  if (!fmt.ok) return fmt.problem;
  const format = fmt.value;
  if (c.pageSize !== undefined && c.pageSize !== format.pageSize)
    return `format ${format.name} has ${format.pageSize}-byte pages, so page_size=${c.pageSize} does not fit it`;
  const frames = c.frames ?? 64;
  const fp = checkFrameCount(format, frames);
  if (fp !== null) return fp;
  if (frames < 4) return `the machine needs at least 4 frames, not ${frames}`;
  const entries = c.tlbEntries ?? 16;
  const ways = c.tlbWays === 0 ? entries : Math.min(c.tlbWays ?? 4, entries);
  const tlb: TlbConfig = {
    entries,
    ways,
    policy: (c.tlbPolicy ?? "lru") as TlbPolicy,
    asidMode: c.asid === false ? "flush" : "tagged",
    seed: c.seed ?? 1,
  };
  const tp = checkTlbConfig(tlb);
  if (tp !== null) return tp;
  const policy = resolvePolicyName(c.policy ?? "clock");
  if (policy === undefined) return `unknown replacement policy "${c.policy}"`;
  // OPT needs each page's next use, which a running system cannot know.
  if (isFutureAware(createPolicy(policy, { capacity: 1 })))
    return `policy ${policy} needs to know the future; the kernel can only run online policies`;
  const swapSlots = c.swapSlots ?? (format.caps.swap ? frames * 2 : 0);
  if (swapSlots > 0 && !format.caps.swap)
    return `format ${format.name} has no room for swap entries in its PTEs; use swap=0`;
  if (swapSlots > format.maxFrames)
    return `format ${format.name} can name at most ${format.maxFrames} swap slots`;
  const d = defaultWatermarks(frames);
  const watermarks = {
    min: c.watermarks?.min ?? d.min,
    low: c.watermarks?.low ?? d.low,
    high: c.watermarks?.high ?? d.high,
  };
  if (!(watermarks.min <= watermarks.low && watermarks.low <= watermarks.high && watermarks.high < frames))
    return `watermarks must satisfy min <= low <= high < frames, not ${watermarks.min}/${watermarks.low}/${watermarks.high} with ${frames} frames`;
  return {
    frames,
    format,
    tlb,
    policy,
    swapSlots,
    asid: c.asid !== false,
    seed: c.seed ?? 1,
    allocator: c.allocator ?? "buddy",
    watermarks,
    kswapd: c.kswapd !== false,
    guardGap: c.guardGap,
  };
}
