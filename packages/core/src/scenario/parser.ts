/**
 * The `.msim` parser: text in, statements or the first mistake (line:col + a sentence) out.
 *
 * Global commands: `config`, `lib`, `spawn`, `shm create`, `repeat`, `expect`, `show`,
 * `check`. Everything else is `PROCESS VERB ARGS…`, parsed by the verb's own parser from a
 * `VerbRegistry` (see registry.ts). Process names must be declared (spawn or fork) before use.
 */
import type { Parsed } from "../base/index.js";
import { parsedErr, parsedOk } from "../base/index.js";
import { parseProt } from "../kernel/vma.js";
import type { CompareOp, Scenario, ScenarioConfig, ShowView, Stmt } from "./ast.js";
import { type Token, tokenize } from "./lexer.js";
import type { VerbParser, VerbRegistry } from "./registry.js";
import { type AddrExpr, isName, parseAddr, parseSignedSize, parseSize } from "./values.js";
import { PROCESS_VERBS } from "./verbs.js";

/** Thrown inside the parser to stop at the first mistake; never escapes `parseScenario`. */
class SyntaxStop {
  constructor(
    readonly col: number,
    readonly message: string,
  ) {}
}

const KEYWORDS = new Set(["config", "lib", "spawn", "shm", "repeat", "expect", "show", "check"]);
const OPS: readonly CompareOp[] = ["==", "!=", "<=", ">=", "<", ">"];
const VIEWS: readonly ShowView[] = ["maps", "status", "smaps", "meminfo", "frames"];

/** Parses a whole scenario with the verbs of `verbs` (the default registry unless given). */
export function parseScenario(source: string, verbs: VerbRegistry = PROCESS_VERBS): Parsed<Scenario> {
  const state: ParseState = {
    processes: new Set(),
    libs: new Set(),
    segments: new Set(),
    verbs,
    sawCommand: false,
  };
  const statements: Stmt[] = [];
  for (const { line, tokens } of tokenize(source)) {
    try {
      statements.push(parseStatement(line, tokens, state));
    } catch (e) {
      if (e instanceof SyntaxStop) return parsedErr(line, e.col, e.message);
      throw e;
    }
  }
  return parsedOk({ statements });
}

interface ParseState {
  readonly processes: Set<string>;
  readonly libs: Set<string>;
  readonly segments: Set<string>;
  readonly verbs: VerbRegistry;
  sawCommand: boolean;
}

const stop = (at: Token | number, message: string): never => {
  throw new SyntaxStop(typeof at === "number" ? at : at.col, message);
};

function parseStatement(line: number, tokens: readonly Token[], st: ParseState): Stmt {
  const head = tokens[0] as Token;
  const rest = tokens.slice(1);
  if (head.text !== "config") st.sawCommand = true;
  switch (head.text) {
    case "config":
      if (st.sawCommand) stop(head, "config must come before every other command");
      return { kind: "config", line, col: head.col, config: parseConfig(rest) };
    case "lib":
      return parseLib(line, head, rest, st);
    case "spawn":
      return parseSpawn(line, head, rest, st);
    case "shm":
      return parseShmCreate(line, head, rest, st);
    case "repeat":
      return parseRepeat(line, head, rest, st);
    case "expect":
      return parseExpect(line, head, rest);
    case "show":
      return parseShow(line, head, rest, st);
    case "check":
      if (rest.length > 0) stop(rest[0] as Token, "check takes no arguments");
      return { kind: "check", line, col: head.col };
    default:
      return parseProcessCommand(line, head, rest, st);
  }
}

function sizeOf(t: Token | undefined, what: string, after: Token): number {
  if (t === undefined)
    return stop(after.col + after.text.length, `expected ${what} (a size such as 4096, 0x1000 or 64k)`);
  const n = parseSize(t.text);
  if (n === null) return stop(t, `expected ${what} (a size such as 4096, 0x1000 or 64k), found "${t.text}"`);
  return n;
}

function nameOf(t: Token | undefined, what: string, after: Token): string {
  if (t === undefined) return stop(after.col + after.text.length, `expected ${what}`);
  if (!isName(t.text)) return stop(t, `expected ${what} (letters, digits, _ or .), found "${t.text}"`);
  return t.text;
}

function splitOption(t: Token): { key: string; value: string; valueCol: number } | null {
  const eq = t.text.indexOf("=");
  if (eq <= 0) return null;
  return { key: t.text.slice(0, eq), value: t.text.slice(eq + 1), valueCol: t.col + eq + 1 };
}

type ConfigField = (c: ScenarioConfig, value: string, col: number) => void;

const onOff = (value: string, col: number, key: string): boolean =>
  value === "on" || value === "true" || value === "1"
    ? true
    : value === "off" || value === "false" || value === "0"
      ? false
      : stop(col, `${key} must be on or off, found "${value}"`);

const count = (value: string, col: number, key: string): number => {
  const n = parseSize(value);
  return n === null ? stop(col, `${key} must be a whole number, found "${value}"`) : n;
};

type NumberField =
  | "frames"
  | "pageSize"
  | "tlbEntries"
  | "swapSlots"
  | "seed"
  | "wmarkMin"
  | "wmarkLow"
  | "wmarkHigh"
  | "guardGap";
type SwitchField = "asid" | "kswapd";

/** The setting `key` read as a whole number into `c[field]`. */
const countField =
  (field: NumberField, key: string): ConfigField =>
  (c, v, col) => {
    c[field] = count(v, col, key);
  };

/** The setting `key` read as on/off into `c[field]`. */
const onOffField =
  (field: SwitchField, key: string): ConfigField =>
  (c, v, col) => {
    c[field] = onOff(v, col, key);
  };

const CONFIG_FIELDS: Record<string, ConfigField> = {
  frames: countField("frames", "frames"),
  page_size: countField("pageSize", "page_size"),
  format: (c, v) => {
    c.format = v;
  },
  tlb: countField("tlbEntries", "tlb"),
  tlb_ways: (c, v, col) => {
    c.tlbWays = v === "full" ? 0 : count(v, col, "tlb_ways");
  },
  tlb_policy: (c, v) => {
    c.tlbPolicy = v;
  },
  policy: (c, v) => {
    c.policy = v;
  },
  swap: countField("swapSlots", "swap"),
  asid: onOffField("asid", "asid"),
  seed: countField("seed", "seed"),
  allocator: (c, v, col) => {
    if (v !== "buddy" && v !== "freelist") stop(col, `allocator must be buddy or freelist, found "${v}"`);
    c.allocator = v as "buddy" | "freelist";
  },
  wmark_min: countField("wmarkMin", "wmark_min"),
  wmark_low: countField("wmarkLow", "wmark_low"),
  wmark_high: countField("wmarkHigh", "wmark_high"),
  kswapd: onOffField("kswapd", "kswapd"),
  guard: countField("guardGap", "guard"),
};

function parseConfig(args: readonly Token[]): ScenarioConfig {
  const config: ScenarioConfig = {};
  for (const t of args) {
    const opt = splitOption(t);
    if (opt === null) stop(t, `expected key=value, found "${t.text}"`);
    const { key, value, valueCol } = opt as { key: string; value: string; valueCol: number };
    const field = CONFIG_FIELDS[key];
    if (field === undefined)
      stop(t, `unknown config key "${key}" (known: ${Object.keys(CONFIG_FIELDS).join(", ")})`);
    if (value === "") stop(valueCol, `${key} needs a value`);
    (field as ConfigField)(config, value, valueCol);
  }
  return config;
}

function parseLib(line: number, head: Token, args: readonly Token[], st: ParseState): Stmt {
  const name = nameOf(args[0], "a library name", head);
  if (st.libs.has(name)) stop(args[0] as Token, `library "${name}" is already defined`);
  let size: number | null = null;
  for (const t of args.slice(1)) {
    const opt = splitOption(t);
    if (opt?.key !== "size") stop(t, `expected size=SIZE, found "${t.text}"`);
    size = sizeOf({ text: opt?.value ?? "", col: opt?.valueCol ?? t.col }, "the library size", t);
  }
  if (size === null || size === 0) stop(head, "lib needs size=SIZE (more than 0)");
  st.libs.add(name);
  return { kind: "lib", line, col: head.col, name, size: size as number };
}

function declare(st: ParseState, t: Token): string {
  if (!isName(t.text)) stop(t, `expected a process name, found "${t.text}"`);
  if (KEYWORDS.has(t.text)) stop(t, `"${t.text}" is a command word and cannot name a process`);
  if (st.processes.has(t.text)) stop(t, `process "${t.text}" already exists`);
  st.processes.add(t.text);
  return t.text;
}

const SPAWN_KEYS = ["text", "data", "bss", "stack"] as const;

function parseSpawn(line: number, head: Token, args: readonly Token[], st: ParseState): Stmt {
  if (args[0] === undefined) stop(head.col + head.text.length, "expected a process name after spawn");
  const name = declare(st, args[0] as Token);
  const sizes = { text: 4096, data: 4096, bss: 4096, stack: 65536 };
  const libs: { name: string; col: number }[] = [];
  for (const t of args.slice(1)) {
    const opt = splitOption(t);
    if (opt === null) stop(t, `expected key=value (text=, data=, bss=, stack=, lib=), found "${t.text}"`);
    const { key, value, valueCol } = opt as { key: string; value: string; valueCol: number };
    if (key === "lib") {
      let col = valueCol;
      for (const lib of value.split(",")) {
        if (!st.libs.has(lib))
          stop(col, `unknown library "${lib}": define it first with "lib ${lib} size=…"`);
        libs.push({ name: lib, col });
        col += lib.length + 1;
      }
    } else if ((SPAWN_KEYS as readonly string[]).includes(key)) {
      sizes[key as (typeof SPAWN_KEYS)[number]] = sizeOf(
        { text: value, col: valueCol },
        `the ${key} size`,
        t,
      );
    } else stop(t, `unknown spawn key "${key}" (known: text, data, bss, stack, lib)`);
  }
  return { kind: "spawn", line, col: head.col, name, ...sizes, libs };
}

function parseShmCreate(line: number, head: Token, args: readonly Token[], st: ParseState): Stmt {
  const sub = args[0];
  if (sub?.text === "remove") {
    const name = nameOf(args[1], "a segment name", sub);
    if (!st.segments.has(name)) stop(args[1] as Token, `unknown shared memory segment "${name}"`);
    if (args.length > 2) stop(args[2] as Token, "shm remove takes a segment name");
    return { kind: "shm-remove", line, col: head.col, name };
  }
  if (sub?.text !== "create")
    stop(
      sub ?? head.col + 4,
      `expected "shm create NAME SIZE" or "shm remove NAME" (processes attach with "NAME shm attach …")`,
    );
  const name = nameOf(args[1], "a segment name", sub as Token);
  if (st.segments.has(name)) stop(args[1] as Token, `shared memory segment "${name}" already exists`);
  const size = sizeOf(args[2], "the segment size", args[1] as Token);
  if (size === 0) stop(args[2] as Token, "a segment needs at least one byte");
  if (args.length > 3) stop(args[3] as Token, "shm create takes a name and a size");
  st.segments.add(name);
  return { kind: "shm-create", line, col: head.col, name, size };
}

function parseRepeat(line: number, head: Token, args: readonly Token[], st: ParseState): Stmt {
  const n = sizeOf(args[0], "a repeat count", head);
  if (args.length < 2)
    stop((args[0] as Token).col + (args[0] as Token).text.length, "expected a command to repeat");
  const body = parseStatement(line, args.slice(1), st);
  if (
    body.kind === "config" ||
    body.kind === "spawn" ||
    body.kind === "lib" ||
    body.kind === "shm-create" ||
    body.kind === "shm-remove"
  ) {
    stop(args[1] as Token, `${body.kind} cannot be repeated`);
  }
  return { kind: "repeat", line, col: head.col, count: n, body };
}

function parseExpect(line: number, head: Token, args: readonly Token[]): Stmt {
  const [metric, op, value] = args;
  if (metric === undefined || !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(metric.text)) {
    stop(
      metric ?? head.col + head.text.length,
      "expected a metric such as A.faults.minor or memory.free_frames",
    );
  }
  if (op === undefined || !(OPS as readonly string[]).includes(op.text)) {
    stop(
      op ?? (metric as Token).col + (metric as Token).text.length,
      `expected one of ${OPS.join(" ")} after the metric`,
    );
  }
  if (value === undefined) stop((op as Token).col + 2, "expected a value to compare with");
  if (args.length > 3) stop(args[3] as Token, "expect takes METRIC OP VALUE");
  const v = value as Token;
  const num = parseSignedSize(v.text);
  const isText = num === null;
  if (isText && op?.text !== "==" && op?.text !== "!=")
    stop(v, `only == and != compare with a word like "${v.text}"`);
  return {
    kind: "expect",
    line,
    col: head.col,
    metric: (metric as Token).text,
    metricCol: (metric as Token).col,
    op: (op as Token).text as CompareOp,
    value: num ?? v.text,
    valueCol: v.col,
    source: args.map((t) => t.text).join(" "),
  };
}

function parseShow(line: number, head: Token, args: readonly Token[], st: ParseState): Stmt {
  const view = args[0];
  if (view === undefined || !(VIEWS as readonly string[]).includes(view.text)) {
    stop(view ?? head.col + 5, `expected a view: ${VIEWS.join(", ")}`);
  }
  const v = (view as Token).text as ShowView;
  const needsProcess = v === "maps" || v === "status" || v === "smaps";
  const p = args[1];
  if (needsProcess && p === undefined) stop((view as Token).col + v.length, `show ${v} needs a process name`);
  if (!needsProcess && p !== undefined) stop(p, `show ${v} takes no process name`);
  if (p !== undefined && !st.processes.has(p.text)) stop(p, `unknown process "${p.text}"`);
  return { kind: "show", line, col: head.col, view: v, process: p?.text ?? null };
}

function parseProcessCommand(line: number, head: Token, args: readonly Token[], st: ParseState): Stmt {
  if (!st.processes.has(head.text)) {
    stop(
      head,
      isName(head.text)
        ? `unknown command or process "${head.text}" (spawn a process before using it)`
        : `unexpected "${head.text}"`,
    );
  }
  const verbTok = args[0];
  if (verbTok === undefined) stop(head.col + head.text.length, `expected a command after "${head.text}"`);
  const verb = st.verbs.get((verbTok as Token).text);
  if (verb === undefined) {
    const known = st.verbs
      .list()
      .map((v) => v.verb)
      .sort()
      .join(", ");
    stop(verbTok as Token, `unknown command "${(verbTok as Token).text}" (known: ${known})`);
  }
  const p = verbParser(line, head.text, verbTok as Token, st);
  const action = verb?.parse(args.slice(1), p);
  return {
    kind: "process",
    line,
    col: head.col,
    process: head.text,
    verb: (verbTok as Token).text,
    action: action as NonNullable<typeof action>,
  };
}

function verbParser(line: number, process: string, verbToken: Token, st: ParseState): VerbParser {
  const end = (t: Token) => t.col + t.text.length;
  const missing = (what: string): never => stop(end(verbToken), `expected ${what}`);
  return {
    line,
    process,
    verbToken,
    fail: stop,
    arity(args, min, max) {
      if (args.length < min)
        stop(
          args.length > 0 ? end(args[args.length - 1] as Token) : end(verbToken),
          `${verbToken.text} needs at least ${min} argument(s)`,
        );
      if (args.length > max)
        stop(
          args[max] as Token,
          `unexpected "${(args[max] as Token).text}": ${verbToken.text} takes at most ${max} argument(s)`,
        );
    },
    size: (t, what) => (t === undefined ? missing(what) : sizeOf(t, what, t)),
    signedSize(t, what) {
      if (t === undefined) return missing(what);
      const n = parseSignedSize(t.text);
      return n === null ? stop(t, `expected ${what} (such as +64k or -4k), found "${t.text}"`) : n;
    },
    addr(t, what): AddrExpr {
      if (t === undefined) return missing(what);
      const a = parseAddr(t.text, t.col);
      return a === null
        ? stop(t, `expected ${what} (a number, or SEGMENT+OFFSET such as heap+0x10), found "${t.text}"`)
        : a;
    },
    name: (t, what) => (t === undefined ? missing(what) : nameOf(t, what, t)),
    prot(t) {
      if (t === undefined) return missing("permissions (r, rw, rx, rwx or none)");
      const p = parseProt(t.text);
      return p === null ? stop(t, `expected permissions (r, rw, rx, rwx or none), found "${t.text}"`) : p;
    },
    option: splitOption,
    declareProcess: (t) => void declare(st, t),
  };
}
