import {
  asPhysAddr,
  FRAME_ANON,
  FRAME_FILE,
  FRAME_FREE,
  FRAME_HEAP,
  FRAME_KERNEL,
  FRAME_PAGE_CACHE,
  FRAME_PAGE_TABLE,
  FRAME_RESERVED,
  FRAME_SHARED,
  frameUseName,
  listMappings,
  type Machine,
  PTE_VALID,
  pteFlags,
  type Vma,
} from "@memsim/core";
import { FRAME_CATEGORIES, type FrameCategory } from "../lab/frame-map.js";
import { spellPteBits } from "../lab/pte-bits.js";
import type {
  EventRow,
  FrameOwners,
  MachineState,
  ProcessView,
  TlbRow,
  WalkLevelView,
} from "../worker/protocol.js";
import { heapViews } from "./heap-view.js";
import { pageTableTree } from "./pt-tree.js";
import type { RecordedEvent, ScenarioSession } from "./scenario-session.js";

/**
 * Reads what the views show from the engine's state at the session's position: the frame
 * table, reverse map, VMAs, page tables (`listMappings`, no side effects), the TLB arrays
 * and the recorded events. Nothing here changes the machine.
 */

const CATEGORY_INDEX = new Map<FrameCategory, number>(FRAME_CATEGORIES.map((c, i) => [c, i]));

/** The timeline row of event `i` (step i + 1). */
export function eventRow(session: ScenarioSession, i: number): EventRow {
  const r = session.events[i]!;
  const row: EventRow = { step: i + 1, kind: r.event.kind, sentence: session.text(i), line: r.line };
  const fault = r.event.kind === "fault" && "asid" in r.event ? faultAnswer(session, i) : null;
  return fault ? { ...row, fault } : row;
}

/**
 * For an MMU fault at event i, the kernel's classification of it (the `page-fault` event
 * that follows within the same access), for predict mode.
 */
function faultAnswer(session: ScenarioSession, i: number): EventRow["fault"] | null {
  const mmu = session.events[i]!.event;
  if (mmu.kind !== "fault" || !("asid" in mmu)) return null;
  for (let j = i + 1; j < Math.min(session.events.length, i + 40); j++) {
    const e = session.events[j]!.event;
    if (e.kind === "page-fault")
      return {
        kind: e.fault,
        who: session.names.get(e.pid) ?? `pid ${e.pid}`,
        va: e.va,
        access: e.access,
        answer: session.text(j),
      };
    if (e.kind === "tlb-miss" || e.kind === "tlb-hit") break;
  }
  return null;
}

/** The category of a frame from its use and, for user pages, the area of its first mapper. */
export function frameCategory(m: Machine, pfn: number): FrameCategory {
  const use = m.hw.mem.frameTable.use[pfn]!;
  switch (use) {
    case FRAME_FREE:
      return "free";
    case FRAME_PAGE_TABLE:
      return "page-table";
    case FRAME_PAGE_CACHE:
      return "page-cache";
    case FRAME_KERNEL:
    case FRAME_RESERVED:
      return "kernel";
    case FRAME_SHARED:
      return "shared";
    case FRAME_HEAP:
      return "heap";
    case FRAME_ANON:
    case FRAME_FILE: {
      const first = m.kernel.s.rmap[pfn]?.[0];
      const vma = first ? m.process(first.pid)?.vmas.find(first.va) : null;
      if (vma) return vmaCategory(vma);
      return use === FRAME_FILE ? "page-cache" : "anon";
    }
    default:
      return "kernel";
  }
}

function vmaCategory(v: Vma): FrameCategory {
  switch (v.kind) {
    case "text":
      return "text";
    case "data":
    case "bss":
      return "data";
    case "heap":
      return "heap";
    case "stack":
      return "stack";
    case "mmap-anon":
      return v.shared ? "shared" : "anon";
    default:
      return "shared";
  }
}

/**
 * The whole machine view at the session's current position (`source` is the scenario
 * text, for the heap view's variable names). Reading the C heap disturbs the live
 * machine, so the session is marked dirty when a heap was read.
 */
export function machineState(session: ScenarioSession, source = ""): MachineState {
  const n = session.position;
  const m = session.live.machine;
  const event = n > 0 ? eventRow(session, n - 1) : null;
  const output = session.prints
    .filter((p) => p.at <= n)
    .slice(-40)
    .map((p) => ({ line: p.line, text: p.text }));
  const base = {
    step: n,
    length: session.length,
    complete: true,
    event,
    touched: touchedFrames(session.events[n - 1]),
    output,
  };
  if (!m) {
    return {
      ...base,
      frames: { category: new Uint8Array(0), owner: new Int32Array(0), mapCount: new Int32Array(0) },
      swap: new Int32Array(0),
      processes: [],
      tlb: [],
      walk: [],
      walkPid: -1,
      meminfo: "",
      heaps: [],
    };
  }
  const ft = m.hw.mem.frameTable;
  const count = m.hw.mem.frameCount;
  const category = new Uint8Array(count);
  for (let pfn = 0; pfn < count; pfn++) category[pfn] = CATEGORY_INDEX.get(frameCategory(m, pfn)) ?? 0;
  const processes = m.processes().map((p) => processView(session, m, p.pid));
  const walk = currentWalk(session, m);
  const meminfo = m.meminfo();
  const tlb = tlbRows(m);
  const heaps = heapViews(session, source);
  if (heaps.length > 0) session.markDirty();
  return {
    ...base,
    frames: { category, owner: ft.owner.slice(0, count), mapCount: ft.mapCount.slice(0, count) },
    swap: swapOwners(m, processes),
    processes,
    tlb,
    walk: walk.levels,
    walkPid: walk.pid,
    meminfo,
    heaps,
  };
}

function processView(session: ScenarioSession, m: Machine, pid: number): ProcessView {
  const p = m.process(pid)!;
  const shift = m.kernel.pageShift;
  const mappings = p.space ? listMappings(m.hw.mem, p.space) : [];
  const pages = p.space
    ? mappings.map((map) => ({
        vpn: Math.floor(map.va / 2 ** shift),
        pfn: map.flags & PTE_VALID ? map.pfn : -1,
        slot: map.swapSlot ?? -1,
        bits: spellPteBits(map.flags),
      }))
    : [];
  return {
    pid,
    name: session.names.get(pid) ?? p.name,
    state: p.state,
    signal: p.signal,
    maps: m.procMaps(pid) ?? "",
    rssPages: p.rssPages(),
    swapPages: p.rss.swap,
    faults: { ...p.faults },
    pages,
    tree: p.space ? pageTableTree(m, p.space, mappings) : null,
  };
}

function swapOwners(m: Machine, processes: readonly ProcessView[]): Int32Array {
  const swap = m.kernel.s.swap;
  const owners = new Int32Array(swap.slots).fill(-1);
  for (let s = 0; s < swap.slots; s++) if (swap.count(s as never) > 0) owners[s] = 0;
  for (const p of processes)
    for (const page of p.pages) if (page.slot >= 0 && page.pfn < 0) owners[page.slot] = p.pid;
  return owners;
}

function tlbRows(m: Machine): TlbRow[] {
  const tlb = m.hw.tlb;
  const rows: TlbRow[] = [];
  for (let slot = 0; slot < tlb.entries; slot++) {
    const flags = tlb.flags[slot]!;
    if (flags === 0) continue;
    const global = tlb.isGlobal(slot);
    rows.push({
      slot,
      asid: global ? -1 : tlb.tag[slot]!,
      vpn: tlb.vpn[slot]!,
      pfn: tlb.pfn[slot]!,
      bits: spellPteBits(flags),
      global,
    });
  }
  return rows;
}

/**
 * The last page walk at or before the current step: the walk events after the latest
 * TLB miss. `entry` is the value the walk read; the bits are spelled from the entry as it
 * is at this step (the walk itself sets the accessed bit).
 */
function currentWalk(session: ScenarioSession, m: Machine): { levels: WalkLevelView[]; pid: number } {
  const events = session.events;
  let miss = -1;
  for (let i = session.position - 1; i >= 0 && i >= session.position - 400; i--) {
    if (events[i]!.event.kind === "tlb-miss") {
      miss = i;
      break;
    }
  }
  if (miss < 0) return { levels: [], pid: -1 };
  const levels: WalkLevelView[] = [];
  let asid = -1;
  for (let i = miss + 1; i < session.position; i++) {
    const e = events[i]!.event;
    if (e.kind !== "walk") {
      if (levels.length > 0) break;
      continue;
    }
    asid = e.asid;
    const addr = asPhysAddr(e.entryAddr);
    levels.push({
      level: e.level,
      tablePfn: Math.floor(e.entryAddr / m.pageSize),
      index: e.index,
      entryAddr: e.entryAddr,
      entry: e.entry,
      valid: e.valid,
      pfn: e.pfn,
      bits: e.valid ? spellPteBits(pteFlags(m.hw.mem, m.hw.format, addr)) : [],
    });
  }
  const owner = m.processes().find((p) => p.space?.asid === asid);
  return { levels, pid: owner?.pid ?? -1 };
}

/** Frames an event names, for highlighting. */
function touchedFrames(r: RecordedEvent | undefined): number[] {
  if (!r) return [];
  const e = r.event as unknown as Record<string, unknown>;
  const out: number[] = [];
  for (const key of ["pfn", "from", "to"]) {
    const v = e[key];
    if (typeof v === "number" && (key === "pfn" || r.event.kind === "cow-copy")) out.push(v);
  }
  return out;
}

/** Who maps frame `pfn` now, from the kernel's reverse map. */
export function frameOwners(session: ScenarioSession, pfn: number): FrameOwners {
  const m = session.live.machine;
  if (!m || pfn < 0 || pfn >= m.hw.mem.frameCount)
    return { pfn, category: "none", mapCount: 0, mappers: [], note: "There is no such frame." };
  const ft = m.hw.mem.frameTable;
  const shift = m.kernel.pageShift;
  const mappers = (m.kernel.s.rmap[pfn] ?? []).map(({ pid, va }) => {
    const p = m.process(pid);
    const page = p?.space ? listMappings(m.hw.mem, p.space).find((x) => x.va === va) : undefined;
    return {
      pid,
      name: session.names.get(pid) ?? `pid ${pid}`,
      vpn: Math.floor(va / 2 ** shift),
      bits: page ? spellPteBits(page.flags) : [],
    };
  });
  const category = frameCategory(m, pfn);
  const use = frameUseName(ft.use[pfn]!);
  const note =
    category === "free"
      ? "It is free."
      : category === "page-table"
        ? `It holds a page-table page of pid ${ft.owner[pfn]}.`
        : mappers.length === 0
          ? `Frame use: ${use}; no page table maps it.`
          : `Mapped by ${mappers.length} page-table entr${mappers.length === 1 ? "y" : "ies"} (frame use: ${use}).`;
  return { pfn, category, mapCount: ft.mapCount[pfn]!, mappers, note };
}
