/**
 * The CLI's window on the world. Commands write through an `Io` so tests can run them
 * in-process and read what they printed; `nodeIo()` is the real terminal.
 */
export interface Io {
  /** Writes to standard output as is (no newline added). */
  out(text: string): void;
  /** Writes to standard error as is (no newline added). */
  err(text: string): void;
  /** True when standard error is a terminal (progress bars go there). */
  readonly errIsTty: boolean;
  /** True when standard output is a terminal. */
  readonly outIsTty: boolean;
}

export function nodeIo(): Io {
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    errIsTty: Boolean(process.stderr.isTTY),
    outIsTty: Boolean(process.stdout.isTTY),
  };
}

/** An `Io` that records everything, for tests. */
export function memoryIo(): Io & { stdout(): string; stderr(): string } {
  let out = "";
  let err = "";
  return {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    errIsTty: false,
    outIsTty: false,
    stdout: () => out,
    stderr: () => err,
  };
}

/**
 * A user mistake found by a command (bad flag value, unreadable file, malformed input).
 * `main` prints `memsim: message` to stderr and exits with `exitCode` (2 by default).
 */
export class UsageError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = "UsageError";
    this.exitCode = exitCode;
  }
}
