/**
 * A progress bar on standard error, drawn only when stderr is a terminal, the run has
 * lasted over a second, and `--quiet` was not given; cleared when the run ends.
 */
import type { Io } from "./io.js";

export interface Progress {
  /** Reports `done` of `total` (bytes; total unknown for compressed input). */
  update(done: number, total: number | undefined): void;
  /** Erases the bar. */
  finish(): void;
}

export function createProgress(io: Io, label: string, quiet: boolean): Progress {
  if (quiet || !io.errIsTty) return { update() {}, finish() {} };
  const start = performance.now();
  let drawn = false;
  let lastDraw = 0;
  return {
    update(done, total) {
      const now = performance.now();
      if (now - start < 1000 || now - lastDraw < 100) return;
      lastDraw = now;
      drawn = true;
      const mb = (done / 1e6).toFixed(1);
      if (total !== undefined && total > 0) {
        const f = Math.min(1, done / total);
        const width = 30;
        const fill = Math.round(f * width);
        io.err(
          `\r${label} [${"#".repeat(fill)}${".".repeat(width - fill)}] ${(f * 100).toFixed(0).padStart(3)}% ${mb} MB`,
        );
      } else io.err(`\r${label} ${mb} MB read`);
    },
    finish() {
      if (drawn) io.err("\r\x1b[2K");
    },
  };
}
