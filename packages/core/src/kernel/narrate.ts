/**
 * One plain sentence per event, for `memsim run --events` and the web lab's timeline
 * ("page 0x42 was not present: the kernel took free frame 17 and zero-filled it").
 * The sentences only restate what the event records; nothing is recomputed.
 */
import { hex } from "../base/index.js";
import type { HwEvent } from "../hw/events.js";
import type { KernelEvent } from "./events.js";
import { vaHex } from "./layout.js";
import type { MachineEvent } from "./machine.js";

/** A sentence for `e`; `name(pid)` gives a process's name (default `pid N`). */
export function describeEvent(
  e: MachineEvent,
  name: (pid: number) => string = (pid) => `pid ${pid}`,
): string {
  return isHw(e) ? describeHw(e) : describeKernel(e, name);
}

const HW_KINDS = new Set(["tlb-hit", "tlb-miss", "tlb-fill", "tlb-evict", "tlb-flush", "walk", "fault"]);

function isHw(e: MachineEvent): e is HwEvent {
  return HW_KINDS.has(e.kind);
}

function describeHw(e: HwEvent): string {
  switch (e.kind) {
    case "tlb-hit":
      return `TLB hit: page ${vaHex(e.vpn)} (asid ${e.asid}) is frame ${e.pfn}`;
    case "tlb-miss":
      return `TLB miss: page ${vaHex(e.vpn)} (asid ${e.asid}) needs a page walk`;
    case "tlb-fill":
      return `TLB fill: page ${vaHex(e.vpn)} -> frame ${e.pfn} in slot ${e.slot}${e.global ? " (global)" : ""}`;
    case "tlb-evict":
      return `TLB evict: slot ${e.slot} dropped page ${vaHex(e.vpn)} (frame ${e.pfn})`;
    case "tlb-flush":
      return e.scope === "page"
        ? `TLB invlpg: page ${vaHex(e.vpn ?? 0)} (asid ${e.asid}), ${e.entries} entr${e.entries === 1 ? "y" : "ies"} dropped`
        : `TLB flush (${e.scope}${e.asid === null ? "" : ` asid ${e.asid}`}): ${e.entries} entries dropped`;
    case "walk":
      return `walk level ${e.level}: index ${e.index}, entry ${e.entry} at ${hex(e.entryAddr)}${e.valid ? ` -> frame ${e.pfn}` : " (not valid)"}`;
    case "fault":
      return `MMU fault at ${vaHex(e.va)} on ${e.access}: ${e.fault.kind}${e.fault.kind === "protection" ? ` (missing ${e.fault.right})` : ""}`;
  }
}

function describeKernel(e: KernelEvent, name: (pid: number) => string): string {
  switch (e.kind) {
    case "page-fault": {
      const what = e.fault === "segv" ? "SIGSEGV" : `${e.fault} fault`;
      const state =
        e.fault === "cow"
          ? "was shared copy-on-write"
          : e.fault === "segv"
            ? "could not be accessed"
            : "was not present";
      return `${name(e.pid)}: ${what} on ${e.access} of ${vaHex(e.va)}: page ${vaHex(e.vpn)} ${state}: ${e.fault === "segv" ? e.detail : `the kernel ${e.detail}`}`;
    }
    case "zero-fill":
      return `${name(e.pid)}: frame ${e.pfn} zero-filled for page ${vaHex(e.vpn)}`;
    case "file-read":
      return `${name(e.pid)}: read page ${e.page} of ${e.file} into frame ${e.pfn} (major fault, disk I/O)`;
    case "page-cache-hit":
      return `${name(e.pid)}: page ${vaHex(e.vpn)} found in the page cache (frame ${e.pfn}, ${e.file})`;
    case "swap-in":
      return `${name(e.pid)}: swapped page ${vaHex(e.vpn)} in from slot ${e.slot} to frame ${e.pfn}`;
    case "evict":
      return `${e.policy} chose frame ${e.pfn} (page ${vaHex(e.vpn)} of ${name(e.pid)}, ${e.page}, ${e.mappers} mapping${e.mappers === 1 ? "" : "s"}) to ${e.action === "drop" ? "drop: it is clean and can be re-read from its file" : "swap out"}`;
    case "swap-out":
      return `frame ${e.pfn} written to swap slot ${e.slot}; the PTE of page ${vaHex(e.vpn)} in ${name(e.pid)} now records the slot`;
    case "cow-copy":
      return `${name(e.pid)}: copy-on-write: page ${vaHex(e.vpn)} copied from shared frame ${e.from} to frame ${e.to}`;
    case "cow-reuse":
      return `${name(e.pid)}: copy-on-write: last sharer of frame ${e.pfn}, made writable without a copy`;
    case "stack-grow":
      return `${name(e.pid)}: stack grown from ${vaHex(e.from)} down to ${vaHex(e.to)}`;
    case "segv":
      return `${name(e.pid)}: SIGSEGV at ${vaHex(e.va)} (${e.access}): ${e.reason}`;
    case "oom-kill":
      return `OOM killer: ${e.reason}`;
    case "pt-alloc":
      return `${name(e.pid)}: frame ${e.pfn} taken for a page-table page`;
    case "pt-free":
      return `${name(e.pid)}: page-table page in frame ${e.pfn} freed`;
    case "spawn":
      return `${e.name} started as pid ${e.pid}`;
    case "fork":
      return `${name(e.pid)} forked ${e.name} (pid ${e.child}); ${e.sharedPages} resident pages now shared`;
    case "exit":
      return `${name(e.pid)} ${e.signal === null ? `exited (code ${e.code})` : `was killed (${e.signal})`}: ${e.freedFrames} frames and ${e.freedSlots} swap slots returned`;
    case "brk":
      return `${name(e.pid)}: brk ${vaHex(e.from)} -> ${vaHex(e.to)}`;
    case "mmap":
      return `${name(e.pid)}: mmap ${e.label === "" ? "" : `${e.label} `}${vaHex(e.start)}-${vaHex(e.end)} ${e.prot}`;
    case "munmap":
      return `${name(e.pid)}: munmap ${vaHex(e.start)}-${vaHex(e.end)}, ${e.freedFrames} frames freed`;
    case "mprotect":
      return `${name(e.pid)}: mprotect ${vaHex(e.start)}-${vaHex(e.end)} ${e.prot}`;
    case "shm-create":
      return `shared memory segment ${e.name} created (${e.size} bytes)`;
    case "shm-attach":
      return `${name(e.pid)}: attached ${e.name} at ${vaHex(e.start)}-${vaHex(e.end)}`;
    case "shm-detach":
      return `${name(e.pid)}: detached ${e.name}`;
    case "shm-destroy":
      return `shared memory segment ${e.name} destroyed, ${e.freedFrames} frames freed`;
    case "context-switch":
      return `context switch ${e.from === 0 ? "" : `${name(e.from)} `}-> ${name(e.to)}${e.flush ? " (TLB flushed)" : ""}`;
    case "kswapd":
      return `kswapd reclaimed ${e.reclaimed} frames (free now ${e.free}, target ${e.high})`;
    case "thrashing":
      return `thrashing: ${e.majorFaults} major faults within ${e.window} accesses`;
  }
}
