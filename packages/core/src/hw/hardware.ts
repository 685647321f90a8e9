/**
 * The simulated hardware as one object: physical memory with its frame table, the TLB and
 * the MMU, built from a checked configuration, with one event sink and whole-state
 * snapshots (the web lab's time travel; restoring and replaying gives identical events).
 */
import type { EventSink } from "../base/events.js";
import type { HwEvent } from "./events.js";
import {
  checkFrameCount,
  type FormatSpec,
  type HwResult,
  makeFormat,
  type PageTableFormat,
  presetFormat,
} from "./format.js";
import { PhysicalMemory, type PhysicalMemoryState } from "./memory.js";
import { Mmu } from "./mmu.js";
import { checkTlbConfig, Tlb, type TlbConfig, type TlbState } from "./tlb.js";

export interface HardwareConfig {
  /** A preset name (`x86-64`, `ostep-2level`…), a spec, or a format already made. */
  readonly format: string | FormatSpec | PageTableFormat;
  /** Number of physical frames. */
  readonly frames: number;
  /** TLB shape; default 64 entries, 4-way, LRU, tagged. */
  readonly tlb?: TlbConfig;
}

/** The whole hardware state at one instant. Plain typed arrays; treat as immutable. */
export interface HwSnapshot {
  readonly memory: PhysicalMemoryState;
  readonly tlb: TlbState;
  readonly mmu: readonly number[];
}

export const DEFAULT_TLB: TlbConfig = { entries: 64, ways: 4, policy: "lru", asidMode: "tagged", seed: 1 };

function resolveFormat(f: HardwareConfig["format"]): HwResult<PageTableFormat> {
  if (typeof f === "string") return presetFormat(f);
  if ("codec" in f) return { ok: true, value: f };
  return makeFormat(f);
}

export class Hardware {
  readonly format: PageTableFormat;
  readonly mem: PhysicalMemory;
  readonly tlb: Tlb;
  readonly mmu: Mmu;

  /** Use `createHardware` for checked construction. */
  constructor(format: PageTableFormat, frames: number, tlb: TlbConfig) {
    this.format = format;
    this.mem = new PhysicalMemory(frames, format.pageSize);
    this.tlb = new Tlb(tlb);
    this.mmu = new Mmu(this.mem, this.tlb, format);
  }

  /** Attaches (or with null detaches) the sink that receives every hardware event. */
  setSink(sink: EventSink<HwEvent> | null): void {
    this.tlb.sink = sink;
    this.mmu.sink = sink;
  }

  /** A copy of the whole state: memory bytes, frame table, TLB (with replacement state and RNG), MMU counters. */
  snapshot(): HwSnapshot {
    return {
      memory: this.mem.save(),
      tlb: this.tlb.save(),
      mmu: [this.mmu.walks, this.mmu.faults, this.mmu.currentRoot],
    };
  }

  /**
   * Puts the hardware back in the state of `s` (taken from a hardware of the same shape).
   * The MMU keeps the current root and ASID but not the space object; translating in the
   * same space again is not a switch, so a replay flushes exactly where the original run did.
   */
  restore(s: HwSnapshot): void {
    this.mem.load(s.memory);
    this.tlb.load(s.tlb);
    this.mmu.walks = s.mmu[0] ?? 0;
    this.mmu.faults = s.mmu[1] ?? 0;
    this.mmu.currentRoot = s.mmu[2] ?? -1;
    this.mmu.forgetSpace();
  }
}

/** Builds the hardware, or a sentence saying what is wrong with the configuration. */
export function createHardware(config: HardwareConfig): HwResult<Hardware> {
  const format = resolveFormat(config.format);
  if (!format.ok) return format;
  const frames = checkFrameCount(format.value, config.frames);
  if (frames) return { ok: false, problem: frames };
  const tlb = config.tlb ?? DEFAULT_TLB;
  const tlbProblem = checkTlbConfig(tlb);
  if (tlbProblem) return { ok: false, problem: tlbProblem };
  return { ok: true, value: new Hardware(format.value, config.frames, tlb) };
}
