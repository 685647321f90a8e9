import { type HeapBlock, type Machine, ProcessHeap, tokenizeLine } from "@memsim/core";
import type { HeapView } from "../worker/protocol.js";
import type { ScenarioSession } from "./scenario-session.js";

/**
 * The C heap of each process that has one, read from the engine: the allocator's own
 * heap walk (headers and free blocks as they are in the simulated bytes), memcheck's
 * block records (what the program asked for, freed blocks in quarantine), the pointer
 * variables and where they point, and memcheck's messages so far pinned to their block.
 *
 * Reading the heap goes through the process's MMU (the allocator reads its headers as
 * the program would), which moves TLB and accessed bits: the caller marks the session
 * dirty afterwards so the next seek restores a clean machine.
 */

const POINTER_VERBS = new Set(["malloc", "calloc", "realloc", "local"]);

/** True when the scenario uses the C heap at all. */
export function usesHeap(session: ScenarioSession): boolean {
  return session.statements.some(
    (s) => s.kind === "process" && (POINTER_VERBS.has(s.verb) || s.verb === "heap"),
  );
}

/** Pointer variable names the scenario declares, per process name. */
function pointerNames(session: ScenarioSession, source: readonly string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const s of session.statements) {
    if (s.kind !== "process" || !POINTER_VERBS.has(s.verb)) continue;
    const name = tokenizeLine(source[s.line - 1] ?? "")[2]?.text;
    if (!name) continue;
    if (!out.has(s.process)) out.set(s.process, new Set());
    out.get(s.process)!.add(name);
  }
  return out;
}

/** The heaps of every process, at the session's position. */
export function heapViews(session: ScenarioSession, source: string): HeapView[] {
  const m = session.live.machine;
  if (!m || !usesHeap(session)) return [];
  const names = pointerNames(session, source.split(/\r?\n/));
  const views: HeapView[] = [];
  for (const [procName, entry] of session.live.snapshot().state.names) {
    for (const [, ext] of entry.ext) {
      if (ext instanceof ProcessHeap)
        views.push(heapView(session, m, procName, ext, names.get(procName) ?? new Set()));
    }
  }
  return views;
}

function heapView(
  session: ScenarioSession,
  m: Machine,
  procName: string,
  heap: ProcessHeap,
  names: Set<string>,
): HeapView {
  const alloc = heap.libc.allocator;
  const records = [...heap.libc.blocks()];
  const vars = [...names].flatMap((name) => {
    const v = heap.variable(name);
    if (!v) return [];
    return [{ name, addr: v.addr, local: v.local, value: peekWord(m, heap.pid, v.addr) }];
  });
  const walk = alloc.walk();
  const errors = session.prints
    .filter(
      (p) =>
        p.at <= session.position &&
        p.text.includes(`==${heap.pid}==`) &&
        /Invalid|Mismatched|free\(\)/.test(p.text),
    )
    .map((p) => ({ line: p.line, text: p.text, addr: firstAddress(p.text) }));
  const blocks = walk.blocks.map((b) => {
    const end = b.addr + b.size;
    const pointedBy = vars.filter((v) => v.value >= b.addr && v.value < end).map((v) => v.name);
    const pinned = errors.filter((e) => e.addr !== null && e.addr >= b.addr && e.addr < end);
    return {
      addr: b.addr,
      payload: b.payload,
      size: b.size,
      free: b.free,
      mmapped: b.mmapped,
      user: b.free ? null : programBlock(heap, records, b.addr, end, b.payload),
      pointedBy,
      errors: pinned.map((e) => e.text.split("\n").map((l) => l.replace(/^==\d+== ?/, ""))[0] ?? ""),
    };
  });
  return {
    pid: heap.pid,
    process: procName,
    policy: alloc.name,
    start: alloc.heapStart(),
    end: alloc.heapEnd(),
    blocks,
    vars,
    problems: [...walk.problems],
    errors: errors.map((e) => ({ line: e.line, text: e.text })),
  };
}

/**
 * What the program holds in the allocator block [start, end): memcheck's live record, or
 * the freed block memcheck keeps in quarantine there (memcheck's own description).
 */
function programBlock(
  heap: ProcessHeap,
  live: readonly HeapBlock[],
  start: number,
  end: number,
  payload: number,
): { addr: number; size: number; freed: boolean } | null {
  const record = live.find((r) => r.addr >= start && r.addr < end);
  if (record) return { addr: record.addr, size: record.size, freed: false };
  const mc = heap.libc.memcheck;
  if (!mc) return null;
  const d = mc.describe(payload + mc.redzone, []);
  if (d.kind === "block" && d.state === "free'd" && d.block.addr >= start && d.block.addr < end)
    return { addr: d.block.addr, size: d.block.size, freed: true };
  return null;
}

/** The 8-byte word at `va` of `pid` without side effects (peek), or -1 when not resident. */
function peekWord(m: Machine, pid: number, va: number): number {
  const space = m.process(pid)?.space;
  if (!space) return -1;
  const t = m.hw.mmu.peek(space, va, "read", "user");
  if (t.kind !== "ok") return -1;
  return m.hw.mem.read(t.pa, 8);
}

function firstAddress(text: string): number | null {
  const m = /Address (0x[0-9a-f]+)/.exec(text);
  return m ? Number(m[1]) : null;
}
