/**
 * Backing files: program images and shared libraries. memsim has no file system, so a
 * file is a name, a size and a rule for its bytes. Text bytes follow a fixed pattern (so a
 * page read back after being dropped can be checked against the file); initialised data
 * starts as zeros (so pointers stored there by a program are the only non-zero words).
 */

/** The role of a file's bytes. */
export type FileKind = "text" | "data" | "lib";

/** A read-only backing object. */
export interface BackingFile {
  readonly id: number;
  readonly name: string;
  readonly kind: FileKind;
  readonly size: number;
}

/** The byte at `offset` of `file`, as read from the simulated disk. */
export function fileByte(file: BackingFile, offset: number): number {
  if (file.kind === "data" || offset >= file.size) return 0;
  // A cheap deterministic pattern that differs per file and per byte.
  return (Math.imul(offset + 1, 0x9e3779b1) ^ Math.imul(file.id + 1, 0x85ebca6b)) >>> 24;
}

/** Fills `dst` with the bytes of `file` starting at `offset` (zeros past its end). */
export function readFilePage(file: BackingFile, offset: number, dst: Uint8Array): void {
  for (let i = 0; i < dst.length; i++) dst[i] = fileByte(file, offset + i);
}
