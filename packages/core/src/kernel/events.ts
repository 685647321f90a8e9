/**
 * Kernel events: what the memory manager decided, with enough data to narrate each step
 * ("page 0x42 was not present: the kernel took free frame 17 and zero-filled it").
 * Emitted only when a sink is attached. Addresses are numbers (virtual unless named pa).
 */

/** How a page fault was resolved. */
export type PageFaultKind = "minor" | "major" | "cow" | "stack-growth" | "segv";

/** Why a SIGSEGV was delivered. */
export type SegvReason =
  | "unmapped" // no VMA covers the address
  | "write-read-only" // store to a VMA without write permission
  | "exec-non-exec" // instruction fetch from a VMA without execute permission
  | "read-no-access" // load from a VMA mapped with no permissions
  | "kernel-page" // user-mode access to a kernel address
  | "stack-guard" // access in the guard gap below the stack: stack overflow
  | "bad-address"; // outside what the format can translate (non-canonical or out of range)

/** The kind of memory access that faulted. */
export type AccessKind = "read" | "write" | "exec";

/** What backs a resident page. */
export type PageKind = "anon" | "file" | "shm";

export type KernelEvent =
  | { readonly kind: "spawn"; readonly pid: number; readonly name: string }
  | {
      readonly kind: "fork";
      readonly pid: number;
      readonly child: number;
      readonly name: string;
      readonly sharedPages: number;
    }
  | {
      readonly kind: "exit";
      readonly pid: number;
      readonly code: number;
      /** The signal that killed the process, or null for a normal exit. */
      readonly signal: string | null;
      readonly freedFrames: number;
      readonly freedSlots: number;
    }
  | {
      readonly kind: "page-fault";
      readonly pid: number;
      readonly va: number;
      readonly vpn: number;
      readonly access: AccessKind;
      readonly fault: PageFaultKind;
      /** A short phrase of how it was resolved, e.g. "zero-fill", "swap-in from slot 3". */
      readonly detail: string;
    }
  | {
      readonly kind: "zero-fill";
      readonly pid: number;
      readonly vpn: number;
      readonly pfn: number;
      readonly free: boolean;
    }
  | {
      readonly kind: "file-read";
      readonly pid: number;
      readonly vpn: number;
      readonly pfn: number;
      readonly file: string;
      readonly page: number;
    }
  | {
      readonly kind: "page-cache-hit";
      readonly pid: number;
      readonly vpn: number;
      readonly pfn: number;
      readonly file: string;
    }
  | {
      readonly kind: "swap-in";
      readonly pid: number;
      readonly vpn: number;
      readonly pfn: number;
      readonly slot: number;
    }
  | {
      readonly kind: "evict";
      readonly pfn: number;
      readonly page: PageKind;
      /** The process and page the policy's victim belonged to (the first mapper). */
      readonly pid: number;
      readonly vpn: number;
      readonly policy: string;
      /** swap-out: written to a slot; drop: clean file page discarded (re-read later). */
      readonly action: "swap-out" | "drop";
      readonly mappers: number;
    }
  | {
      readonly kind: "swap-out";
      readonly pfn: number;
      readonly slot: number;
      readonly pid: number;
      readonly vpn: number;
    }
  | {
      readonly kind: "cow-copy";
      readonly pid: number;
      readonly vpn: number;
      readonly from: number;
      readonly to: number;
    }
  | { readonly kind: "cow-reuse"; readonly pid: number; readonly vpn: number; readonly pfn: number }
  | { readonly kind: "stack-grow"; readonly pid: number; readonly from: number; readonly to: number }
  | {
      readonly kind: "segv";
      readonly pid: number;
      readonly va: number;
      readonly access: AccessKind;
      readonly reason: SegvReason;
    }
  | {
      readonly kind: "oom-kill";
      readonly pid: number;
      readonly name: string;
      readonly rss: number;
      readonly reason: string;
    }
  | { readonly kind: "pt-alloc"; readonly pid: number; readonly pfn: number }
  | { readonly kind: "pt-free"; readonly pid: number; readonly pfn: number }
  | { readonly kind: "brk"; readonly pid: number; readonly from: number; readonly to: number }
  | {
      readonly kind: "mmap";
      readonly pid: number;
      readonly start: number;
      readonly end: number;
      readonly prot: string;
      readonly label: string;
    }
  | {
      readonly kind: "munmap";
      readonly pid: number;
      readonly start: number;
      readonly end: number;
      readonly freedFrames: number;
    }
  | {
      readonly kind: "mprotect";
      readonly pid: number;
      readonly start: number;
      readonly end: number;
      readonly prot: string;
    }
  | { readonly kind: "shm-create"; readonly name: string; readonly size: number }
  | {
      readonly kind: "shm-attach";
      readonly pid: number;
      readonly name: string;
      readonly start: number;
      readonly end: number;
    }
  | { readonly kind: "shm-detach"; readonly pid: number; readonly name: string }
  | { readonly kind: "shm-destroy"; readonly name: string; readonly freedFrames: number }
  | { readonly kind: "context-switch"; readonly from: number; readonly to: number; readonly flush: boolean }
  | { readonly kind: "kswapd"; readonly reclaimed: number; readonly free: number; readonly high: number }
  | {
      readonly kind: "thrashing";
      readonly window: number;
      readonly majorFaults: number;
    };

/** The `kind` strings of kernel events. */
export type KernelEventKind = KernelEvent["kind"];
