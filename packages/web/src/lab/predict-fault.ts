import type { EventRow } from "../worker/protocol.js";
import type { Grade } from "./predict.js";

/** The fault kinds a student can pick, in the engine's words. */
export const FAULT_CHOICES = ["minor", "major", "cow", "stack-growth", "segv"] as const;

const WHY: Readonly<Record<string, string>> = {
  minor: "A minor fault needs no disk: the page is new (zero-filled) or already in memory (page cache).",
  major: "A major fault reads the disk: the page comes from the program file or back from swap.",
  cow: "A copy-on-write fault is a write to a page shared since fork: the kernel copies it (or, for the last sharer, just makes it writable).",
  "stack-growth":
    "Just below the stack and within the stack limit, the kernel extends the stack instead of killing the process.",
  segv: "No mapping allows this access (unmapped, wrong permission, or the guard gap), so the kernel sends SIGSEGV.",
};

/** The question predict mode asks before a fault step, or null when the step is no fault. */
export function faultQuestion(row: EventRow): string | null {
  if (!row.fault) return null;
  const f = row.fault;
  const verb = f.access === "write" ? "writes" : f.access === "exec" ? "fetches an instruction" : "reads";
  return `${f.who} ${verb} at 0x${f.va.toString(16)} and the MMU raises a page fault. What kind of fault is it?`;
}

/** Grades a fault-kind guess against the engine's own classification, with the reason. */
export function gradeFault(row: EventRow, guess: string): Grade {
  const actual = row.fault?.kind ?? "none";
  const correct = guess === actual;
  return {
    correct,
    explanation:
      `${correct ? "Right" : `Not quite: it was ${actual}`}. ${row.fault?.answer ?? row.sentence} ${WHY[actual] ?? ""}`.trim(),
  };
}
