/**
 * Valgrind's words for memcheck's findings (memcheck/mc_errors.c, mc_leakcheck.c), line
 * for line, each prefixed `==PID== `, numbers with thousands separators (`%'lu`).
 */
import type { LeakReport, LossRecord } from "./leakcheck.js";
import type { AddrDescription, HeapError, Where } from "./memcheck.js";

/** 1234567 → "1,234,567", as Valgrind's %'lu prints it. */
export function withCommas(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Lowercase 0x hex, as Valgrind's %#lx. */
function addrHex(a: number): string {
  return "0x" + a.toString(16);
}

function stackLines(where: Where): string[] {
  return where.map((f, i) => `   ${i === 0 ? "at" : "by"} ${f}`);
}

function describeLines(addr: number, d: AddrDescription): string[] {
  if (d.kind === "unknown")
    return [` Address ${addrHex(addr)} is not stack'd, malloc'd or (recently) free'd`];
  const b = d.block;
  const head = ` Address ${addrHex(addr)} is ${withCommas(d.offset)} bytes ${d.relation} a block of size ${withCommas(b.size)} ${d.state}`;
  if (d.state === "alloc'd") return [head, ...stackLines(b.allocWhere)];
  return [head, ...stackLines(b.freeWhere ?? []), " Block was alloc'd at", ...stackLines(b.allocWhere)];
}

/** The lines of one error, without the `==PID==` prefix, ending with the blank line. */
export function errorLines(e: HeapError): string[] {
  switch (e.kind) {
    case "invalid-access":
      return [
        `Invalid ${e.access} of size ${withCommas(e.size)}`,
        ...stackLines(e.where),
        ...describeLines(e.addr, e.about),
        "",
      ];
    case "invalid-free":
      return [
        "Invalid free() / delete / delete[] / realloc()",
        ...stackLines(e.where),
        ...describeLines(e.addr, e.about),
        "",
      ];
    case "glibc-abort":
      return [e.message];
  }
}

/** Prefixes each line with `==PID== ` (a blank line becomes `==PID== `). */
export function prefixLines(pid: number, lines: readonly string[]): string {
  return lines.map((l) => `==${pid}== ${l}`).join("\n") + (lines.length > 0 ? "\n" : "");
}

/** Heap totals for the HEAP SUMMARY. */
export interface HeapUsage {
  readonly inUseBytes: number;
  readonly inUseBlocks: number;
  readonly allocs: number;
  readonly frees: number;
  readonly bytesAllocated: number;
}

export interface LeakFormatOptions {
  /** Loss records of these kinds are printed (Valgrind's default: definite and possible). */
  readonly show?: readonly LossRecord["state"][];
}

const DEFAULT_SHOW: readonly LossRecord["state"][] = ["definitely lost", "possibly lost"];

function recordLine(r: LossRecord, i: number, n: number): string {
  const tail = `in ${withCommas(r.blocks)} blocks are ${r.state} in loss record ${withCommas(i)} of ${withCommas(n)}`;
  if (r.indirect > 0)
    return `${withCommas(r.direct + r.indirect)} (${withCommas(r.direct)} direct, ${withCommas(r.indirect)} indirect) bytes ${tail}`;
  return `${withCommas(r.direct)} bytes ${tail}`;
}

function totalLine(label: string, t: { bytes: number; blocks: number }): string {
  return `${label}: ${withCommas(t.bytes)} bytes in ${withCommas(t.blocks)} blocks`;
}

/**
 * The HEAP SUMMARY, loss records and LEAK SUMMARY of `valgrind --leak-check=full`, as
 * lines without the `==PID==` prefix (the first one blank, as Valgrind starts it).
 */
export function leakLines(usage: HeapUsage, report: LeakReport, opts: LeakFormatOptions = {}): string[] {
  const show = opts.show ?? DEFAULT_SHOW;
  const out = [
    "",
    "HEAP SUMMARY:",
    `    in use at exit: ${withCommas(usage.inUseBytes)} bytes in ${withCommas(usage.inUseBlocks)} blocks`,
    `  total heap usage: ${withCommas(usage.allocs)} allocs, ${withCommas(usage.frees)} frees, ${withCommas(usage.bytesAllocated)} bytes allocated`,
    "",
  ];
  if (usage.inUseBlocks === 0) return [...out, "All heap blocks were freed -- no leaks are possible", ""];
  const n = report.records.length;
  report.records.forEach((r, i) => {
    if (show.includes(r.state)) out.push(recordLine(r, i + 1, n), ...stackLines(r.where), "");
  });
  out.push(
    "LEAK SUMMARY:",
    totalLine("   definitely lost", report.definite),
    totalLine("   indirectly lost", report.indirect),
    totalLine("     possibly lost", report.possible),
    totalLine("   still reachable", report.reachable),
    "        suppressed: 0 bytes in 0 blocks",
  );
  if (report.reachable.blocks > 0 && !show.includes("still reachable")) {
    out.push(
      "Reachable blocks (those to which a pointer was found) are not shown.",
      "To see them, rerun with: --leak-check=full --show-leak-kinds=all",
    );
  }
  out.push("");
  return out;
}

/** `ERROR SUMMARY: N errors from M contexts (suppressed: 0 from 0)`. */
export function errorSummaryLine(errors: number, contexts: number): string {
  return `ERROR SUMMARY: ${withCommas(errors)} errors from ${withCommas(contexts)} contexts (suppressed: 0 from 0)`;
}
