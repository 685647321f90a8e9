/**
 * Command-line parsing compatible with Python's `optparse`, which the OSTEP simulators use:
 * short options that cluster (`-cs3` is `-c -s 3`), long options with `=` or a separate
 * value and unambiguous prefixes (`--se=3`), a value taken from the next argument even when
 * it starts with `-` (`-b -1`), `--` ending the options, positional arguments ignored, the
 * last occurrence winning, and `-h`/`--help` printing the help as optparse formats it.
 * Values are converted as each option is met, so the first bad one is the one reported.
 */
import { optparseInt } from "./pyint.js";

/** A value an option holds: optparse's int, a string, or a store_true flag. */
export type OptValue = number | string | boolean;

/** One option as the simulator declares it. `short`/`long` include their dashes. */
export interface OptionSpec {
  readonly short?: string;
  readonly long?: string;
  /** Where the value goes; upper-cased it is the metavar shown in the help. */
  readonly dest: string;
  readonly type: "int" | "string" | "flag";
  /** Used as is when the option is absent (optparse does not convert defaults). */
  readonly default: OptValue;
  readonly help: string;
  /** Left out of the help (memsim's own additions, so the help stays the original's). */
  readonly hidden?: boolean;
}

/** The option values by `dest`. */
export type OptValues = ReadonlyMap<string, OptValue>;

/** The outcome of parsing: values, a request for help, or a one-line error. */
export type OptParse =
  | { readonly kind: "values"; readonly values: OptValues; readonly args: readonly string[] }
  | { readonly kind: "help" }
  | { readonly kind: "error"; readonly message: string };

const HELP: OptionSpec = {
  short: "-h",
  long: "--help",
  dest: "help",
  type: "flag",
  default: false,
  help: "show this help message and exit",
};

class OptError extends Error {}
class HelpRequested extends Error {}

/** Parses `argv` (the arguments after the simulator's name) against `specs`. */
export function optparse(specs: readonly OptionSpec[], argv: readonly string[]): OptParse {
  const all = [HELP, ...specs];
  const values = new Map<string, OptValue>(specs.map((s) => [s.dest, s.default]));
  const args: string[] = [];
  const rargs = [...argv];
  try {
    while (rargs.length > 0) {
      const arg = rargs[0]!;
      if (arg === "--") {
        rargs.shift();
        args.push(...rargs);
        break;
      }
      if (arg.startsWith("--")) processLong(all, rargs, values);
      else if (arg.startsWith("-") && arg.length > 1) processShort(all, rargs, values);
      else args.push(rargs.shift()!);
    }
  } catch (e) {
    if (e instanceof HelpRequested) return { kind: "help" };
    if (e instanceof OptError) return { kind: "error", message: e.message };
    throw e;
  }
  return { kind: "values", values, args };
}

function processLong(all: readonly OptionSpec[], rargs: string[], values: Map<string, OptValue>): void {
  const arg = rargs.shift()!;
  const eq = arg.indexOf("=");
  const explicit = eq >= 0;
  const name = explicit ? arg.slice(0, eq) : arg;
  if (explicit) rargs.unshift(arg.slice(eq + 1));
  const spec = matchLong(all, name);
  const opt = spec.long!;
  if (spec.type !== "flag") {
    if (rargs.length === 0) throw new OptError(`${opt} option requires 1 argument`);
    store(spec, opt, rargs.shift()!, values);
  } else if (explicit) {
    throw new OptError(`${opt} option does not take a value`);
  } else {
    store(spec, opt, null, values);
  }
}

function processShort(all: readonly OptionSpec[], rargs: string[], values: Map<string, OptValue>): void {
  const arg = rargs.shift()!;
  for (let i = 1; i < arg.length; i++) {
    const opt = `-${arg[i]}`;
    const spec = all.find((s) => s.short === opt);
    if (spec === undefined) throw new OptError(`no such option: ${opt}`);
    if (spec.type === "flag") {
      store(spec, opt, null, values);
      continue;
    }
    if (i + 1 < arg.length) rargs.unshift(arg.slice(i + 1));
    if (rargs.length === 0) throw new OptError(`${opt} option requires 1 argument`);
    store(spec, opt, rargs.shift()!, values);
    return;
  }
}

/** optparse's `_match_abbrev`: an exact name, else the one long option it is a prefix of. */
function matchLong(all: readonly OptionSpec[], name: string): OptionSpec {
  const exact = all.find((s) => s.long === name);
  if (exact !== undefined) return exact;
  const candidates = all.filter((s) => s.long?.startsWith(name));
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) throw new OptError(`no such option: ${name}`);
  const names = candidates.map((s) => s.long!).sort();
  throw new OptError(`ambiguous option: ${name} (${names.join(", ")}?)`);
}

function store(spec: OptionSpec, opt: string, raw: string | null, values: Map<string, OptValue>): void {
  if (spec === HELP) throw new HelpRequested();
  if (spec.type === "flag") {
    values.set(spec.dest, true);
  } else if (spec.type === "int") {
    const n = optparseInt(raw!);
    if (!n.ok) throw new OptError(`option ${opt}: invalid integer value: '${raw}'`);
    values.set(spec.dest, n.value);
  } else {
    values.set(spec.dest, raw!);
  }
}

/**
 * The help text as optparse's `IndentedHelpFormatter` lays it out for a terminal of
 * `columns` columns (Python uses $COLUMNS, else the terminal width, else 80): option
 * strings indented 2, help text from column min(longest + 4, 24), wrapped as `textwrap`
 * wraps (breaking after hyphens inside words).
 */
export function formatHelp(prog: string, specs: readonly OptionSpec[], columns = 80): string {
  const all = [HELP, ...specs.filter((s) => s.hidden !== true)];
  const width = Math.max(columns - 2, 11);
  const strings = all.map(optionStrings);
  const longest = Math.max(...strings.map((s) => s.length + 2));
  const helpPosition = Math.min(longest + 2, 24);
  const helpWidth = Math.max(width - helpPosition, 11);
  let out = `Usage: ${prog} [options]\n\nOptions:\n`;
  all.forEach((spec, i) => {
    out += formatOption(strings[i]!, spec.help, helpPosition, helpWidth);
  });
  return out;
}

function optionStrings(spec: OptionSpec): string {
  const meta = spec.dest.toUpperCase();
  const parts: string[] = [];
  if (spec.short !== undefined) parts.push(spec.type === "flag" ? spec.short : `${spec.short} ${meta}`);
  if (spec.long !== undefined) parts.push(spec.type === "flag" ? spec.long : `${spec.long}=${meta}`);
  return parts.join(", ");
}

function formatOption(opts: string, help: string, helpPosition: number, helpWidth: number): string {
  const optWidth = helpPosition - 2 - 2;
  let out: string;
  let indentFirst: number;
  if (opts.length > optWidth) {
    out = `  ${opts}\n`;
    indentFirst = helpPosition;
  } else {
    out = `  ${opts.padEnd(optWidth)}  `;
    indentFirst = 0;
  }
  const lines = wrapText(help, helpWidth);
  out += `${" ".repeat(indentFirst)}${lines[0] ?? ""}\n`;
  for (const line of lines.slice(1)) out += `${" ".repeat(helpPosition)}${line}\n`;
  return out;
}

/**
 * Python's `textwrap.wrap(text, width)` with its defaults, for plain one-paragraph help
 * strings: greedy filling, whitespace dropped at line ends, words split after a hyphen
 * that joins two letters on each side (`INSERT-FRONT` may break as `INSERT-` / `FRONT`).
 */
export function wrapText(text: string, width: number): string[] {
  const chunks = splitChunks(text.replace(/\s/g, " "));
  const lines: string[] = [];
  let i = 0;
  while (i < chunks.length) {
    const cur: string[] = [];
    let len = 0;
    if (lines.length > 0 && chunks[i]!.trim() === "") i++;
    while (i < chunks.length && len + chunks[i]!.length <= width) {
      cur.push(chunks[i]!);
      len += chunks[i]!.length;
      i++;
    }
    if (cur.length === 0 && i < chunks.length) {
      // A word longer than the line: textwrap breaks it at the width.
      const word = chunks[i]!;
      cur.push(word.slice(0, width));
      chunks[i] = word.slice(width);
    }
    if (cur.length > 0 && cur[cur.length - 1]!.trim() === "") cur.pop();
    if (cur.length > 0) lines.push(cur.join(""));
  }
  return lines;
}

const LETTER = /^[^\d\W]$/u;

function splitChunks(text: string): string[] {
  const chunks: string[] = [];
  for (const piece of text.split(/( +)/)) {
    if (piece === "") continue;
    if (piece.startsWith(" ")) {
      chunks.push(piece);
      continue;
    }
    let start = 0;
    for (let k = 0; k < piece.length; k++) {
      if (piece[k] === "-" && hyphenBreak(piece, k)) {
        chunks.push(piece.slice(start, k + 1));
        start = k + 1;
      }
    }
    chunks.push(piece.slice(start));
  }
  return chunks;
}

/** textwrap's rule: break after `-` at k when two letters precede and letter(-)letter follows. */
function hyphenBreak(s: string, k: number): boolean {
  const isLetter = (c: string | undefined) => c !== undefined && LETTER.test(c);
  const before = isLetter(s[k - 1]) && (isLetter(s[k - 2]) || (s[k - 2] === "-" && isLetter(s[k - 3])));
  if (!before) return false;
  return isLetter(s[k + 1]) && (isLetter(s[k + 2]) || (s[k + 2] === "-" && isLetter(s[k + 3])));
}
