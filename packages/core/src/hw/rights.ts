/**
 * Access rights: which generic PTE flags an access needs, and which right to name when
 * some are missing. Shared by the MMU, its inspection functions and the kernel's fault
 * handler.
 */
import type { Access, Mode, Right } from "./events.js";
import { PTE_EXEC, PTE_READ, PTE_USER, PTE_VALID, PTE_WRITE } from "./pte.js";

/** The generic flags an access needs: valid, the access's right, and U in user mode. */
export function rightsNeeded(access: Access, mode: Mode): number {
  const right = access === "read" ? PTE_READ : access === "write" ? PTE_WRITE : PTE_EXEC;
  return mode === "user" ? PTE_VALID | right | PTE_USER : PTE_VALID | right;
}

/**
 * The right a protection fault reports for a set of missing flags: "user" first (a user
 * access to a kernel page), then write, exec, read.
 */
export function missingRight(missing: number): Right {
  if (missing & PTE_USER) return "user";
  if (missing & PTE_WRITE) return "write";
  if (missing & PTE_EXEC) return "exec";
  return "read";
}
