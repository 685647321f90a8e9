/**
 * What running an OSTEP simulator produces: the exact standard output, the exit status the
 * original would end with, and, where the original would die with a Python traceback or
 * loop forever, a one-line explanation instead (`error`, with a non-zero status). Output
 * printed before that point is kept, since the original prints it too.
 */
import { type PyValue, pyPercent, pyPrintArgs } from "./pyformat.js";

/** The result of one simulator run. `error` is null unless the original would crash or hang. */
export interface OstepRun {
  readonly stdout: string;
  readonly exitCode: number;
  readonly error: string | null;
  /** The problem and its answers as data (memsim's `--json`), in the order they were found. */
  readonly facts: Readonly<Record<string, unknown>>;
}

/** Files a simulator may read (paging-policy's `-f`); the CLI supplies them, core does no I/O. */
export interface OstepHost {
  /** The file's text, or a sentence saying why it cannot be read. */
  readFile(
    path: string,
  ): { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };
}

/** Thrown inside a simulator where the original stops; turned into an `OstepRun` by `record`. */
export class OstepStop extends Error {
  readonly exitCode: number;
  readonly isCrash: boolean;
  constructor(message: string, exitCode: number, isCrash: boolean) {
    super(message);
    this.name = "OstepStop";
    this.exitCode = exitCode;
    this.isCrash = isCrash;
  }
}

/** Collects standard output the way Python's `print` writes it. */
export class Transcript {
  private text = "";
  readonly facts: Record<string, unknown> = {};

  /** Records `value` under `key` in the run's facts. */
  note(key: string, value: unknown): void {
    this.facts[key] = value;
  }

  /** Appends `item` to the list `key` in the run's facts. */
  append(key: string, item: unknown): void {
    const list = this.facts[key];
    if (Array.isArray(list)) list.push(item);
    else this.facts[key] = [item];
  }

  /** `print(*values)`. */
  print(...values: PyValue[]): void {
    this.text += `${pyPrintArgs(...values)}\n`;
  }

  /** `print(fmt % args)`. */
  printf(fmt: string, ...args: PyValue[]): void {
    this.text += `${pyPercent(fmt, ...args)}\n`;
  }

  /** `print(fmt % args, end='')`. */
  write(fmt: string, ...args: PyValue[]): void {
    this.text += args.length === 0 ? fmt : pyPercent(fmt, ...args);
  }

  /** Where the original prints its own error message and calls `exit(code)`. */
  exit(code: number): never {
    throw new OstepStop("", code, false);
  }

  /** Where the original would crash (traceback) or never finish: stop with `reason`. */
  crash(reason: string): never {
    throw new OstepStop(reason, 1, true);
  }

  get stdout(): string {
    return this.text;
  }
}

/** Runs `body` on a fresh transcript and packages what it printed and how it ended. */
export function record(body: (out: Transcript) => void): OstepRun {
  const out = new Transcript();
  try {
    body(out);
  } catch (e) {
    if (!(e instanceof OstepStop)) throw e;
    return {
      stdout: out.stdout,
      exitCode: e.exitCode,
      error: e.isCrash ? e.message : null,
      facts: out.facts,
    };
  }
  return { stdout: out.stdout, exitCode: 0, error: null, facts: out.facts };
}
