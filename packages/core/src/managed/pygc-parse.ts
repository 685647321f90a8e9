/**
 * pygc scripts: a tiny line-based subset of Python for driving the runtime by hand, one
 * statement a line, `#` comments. Enough to build object graphs and watch refcounts and the
 * collector:
 *
 *   import gc, sys, weakref         # accepted and ignored: the modules are always there
 *   class Node                      # options: slots=a,b  weakref  del  resurrect=LIST  legacy
 *   a = Node()
 *   a.other = b                     # targets: NAME, NAME.attr, NAME[expr]
 *   l = [a, 1, "s", (1, 2), {}]     # literals: int, float, str, None/True/False, list, tuple, dict
 *   l.append(a)                     # also s.add(x) on sets
 *   w = weakref.ref(a, print)       # the callback `print` prints the (dead) weakref
 *   del a, b                        # also del a.attr, del l[0], del d["k"]
 *   print(gc.collect(), gc.get_count(), sys.getsizeof(l), sys.getrefcount(l), w() is None)
 *
 * Builtins: gc.collect/get_count/get_threshold/set_threshold/enable/disable/isenabled/
 * get_stats/get_objects/get_referrers/get_referents/is_tracked/is_finalized/freeze/unfreeze/
 * get_freeze_count/set_debug/garbage/DEBUG_SAVEALL, sys.getsizeof/getrefcount, len, id,
 * type, set. Parsing returns line:col errors; running raises PyException (TypeError, …).
 */
import { type InputError, type Parsed, parsedErr, parsedOk } from "../base/errors.js";

/** An expression of a pygc script. */
export type PyExpr =
  | { readonly t: "int"; readonly v: bigint }
  | { readonly t: "float"; readonly v: number }
  | { readonly t: "str"; readonly v: string }
  | { readonly t: "const"; readonly v: "None" | "True" | "False" }
  | { readonly t: "list" | "tuple"; readonly items: readonly PyExpr[] }
  | { readonly t: "dict"; readonly pairs: readonly (readonly [PyExpr, PyExpr])[] }
  | { readonly t: "name"; readonly name: string }
  | { readonly t: "attr"; readonly obj: PyExpr; readonly name: string }
  | { readonly t: "call"; readonly fn: PyExpr; readonly args: readonly PyExpr[] }
  | { readonly t: "index"; readonly obj: PyExpr; readonly index: PyExpr }
  | { readonly t: "is"; readonly a: PyExpr; readonly b: PyExpr; readonly negate: boolean };

/** What an assignment or `del` names. */
export type PyTarget =
  | { readonly t: "name"; readonly name: string }
  | { readonly t: "attr"; readonly obj: string; readonly name: string }
  | { readonly t: "index"; readonly obj: string; readonly index: PyExpr };

/** One statement, with its 1-based line. */
export type PyStmt = { readonly line: number } & (
  | { readonly s: "class"; readonly name: string; readonly spec: ClassOptions }
  | { readonly s: "assign"; readonly target: PyTarget; readonly value: PyExpr }
  | { readonly s: "del"; readonly targets: readonly PyTarget[] }
  | { readonly s: "print"; readonly args: readonly PyExpr[] }
  | { readonly s: "expr"; readonly value: PyExpr }
);

/** The options of a `class` line. */
export interface ClassOptions {
  readonly slots?: readonly string[];
  readonly weakref: boolean;
  readonly del: boolean;
  readonly resurrect?: string;
  readonly legacy: boolean;
}

interface Tok {
  readonly k: "name" | "num" | "str" | "op";
  readonly v: string;
  readonly col: number;
}

const TOKEN = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|(\d+\.\d*|\d+)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(\S))/y;

function tokenize(text: string, line: number): Parsed<Tok[]> {
  const toks: Tok[] = [];
  TOKEN.lastIndex = 0;
  for (;;) {
    const start = TOKEN.lastIndex;
    if (text.slice(start).trim() === "") return parsedOk(toks);
    const m = TOKEN.exec(text);
    if (m === null) return parsedErr(line, start + 1, "unreadable text");
    const col = m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? m[4] ?? "").length + 1;
    if (m[1] !== undefined) toks.push({ k: "name", v: m[1], col });
    else if (m[2] !== undefined) toks.push({ k: "num", v: m[2], col });
    else if (m[3] !== undefined) toks.push({ k: "str", v: m[3].slice(1, -1).replace(/\\(.)/g, "$1"), col });
    else toks.push({ k: "op", v: m[4] ?? "", col });
  }
}

class LineParser {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly line: number,
    private readonly width: number,
  ) {}

  fail(message: string): never {
    throw { line: this.line, col: this.toks[this.i]?.col ?? this.width + 1, message } satisfies InputError;
  }
  peek(v: string): boolean {
    return this.toks[this.i]?.v === v && this.toks[this.i]?.k !== "str";
  }
  eat(v: string): void {
    if (!this.peek(v)) this.fail(`expected '${v}', found ${this.describe()}`);
    this.i++;
  }
  name(): string {
    const t = this.toks[this.i];
    if (t?.k !== "name") this.fail(`expected a name, found ${this.describe()}`);
    this.i++;
    return t.v;
  }
  done(): boolean {
    return this.i >= this.toks.length;
  }
  end(): void {
    if (!this.done()) this.fail(`unexpected ${this.describe()} at end of statement`);
  }
  describe(): string {
    const t = this.toks[this.i];
    return t === undefined ? "end of line" : `'${t.v}'`;
  }

  /** An operand, optionally compared by identity: `a is b`, `a is not b`. */
  expr(): PyExpr {
    const a = this.operand();
    if (!this.peek("is")) return a;
    this.i++;
    const negate = this.peek("not");
    if (negate) this.i++;
    return { t: "is", a, b: this.operand(), negate };
  }

  private operand(): PyExpr {
    let e = this.atom();
    for (;;) {
      if (this.peek(".")) {
        this.i++;
        e = { t: "attr", obj: e, name: this.name() };
      } else if (this.peek("(")) {
        this.i++;
        e = { t: "call", fn: e, args: this.list(")") };
      } else if (this.peek("[")) {
        this.i++;
        const index = this.expr();
        this.eat("]");
        e = { t: "index", obj: e, index };
      } else return e;
    }
  }

  private list(close: string): PyExpr[] {
    const items: PyExpr[] = [];
    while (!this.peek(close)) {
      items.push(this.expr());
      if (!this.peek(close)) this.eat(",");
    }
    this.i++;
    return items;
  }

  private atom(): PyExpr {
    const t = this.toks[this.i];
    if (t === undefined) this.fail("expected an expression, found end of line");
    this.i++;
    if (t.k === "num")
      return t.v.includes(".") ? { t: "float", v: Number(t.v) } : { t: "int", v: BigInt(t.v) };
    if (t.k === "str") return { t: "str", v: t.v };
    if (t.k === "name") {
      if (t.v === "None" || t.v === "True" || t.v === "False") return { t: "const", v: t.v };
      return { t: "name", name: t.v };
    }
    if (t.v === "-" && this.toks[this.i]?.k === "num") {
      const n = this.atom();
      return n.t === "int" ? { t: "int", v: -n.v } : { t: "float", v: -(n as { v: number }).v };
    }
    if (t.v === "[") return { t: "list", items: this.list("]") };
    if (t.v === "(") {
      const items: PyExpr[] = [];
      let comma = false;
      while (!this.peek(")")) {
        items.push(this.expr());
        if (this.peek(",")) {
          this.i++;
          comma = true;
        } else break;
      }
      this.eat(")");
      if (items.length === 1 && !comma) return items[0]!;
      return { t: "tuple", items };
    }
    if (t.v === "{") {
      const pairs: [PyExpr, PyExpr][] = [];
      while (!this.peek("}")) {
        const k = this.expr();
        this.eat(":");
        pairs.push([k, this.expr()]);
        if (!this.peek("}")) this.eat(",");
      }
      this.i++;
      return { t: "dict", pairs };
    }
    this.i--;
    return this.fail(`expected an expression, found ${this.describe()}`);
  }

  target(): PyTarget {
    const name = this.name();
    if (this.peek(".")) {
      this.i++;
      return { t: "attr", obj: name, name: this.name() };
    }
    if (this.peek("[")) {
      this.i++;
      const index = this.expr();
      this.eat("]");
      return { t: "index", obj: name, index };
    }
    return { t: "name", name };
  }

  statementAt(start: number): void {
    this.i = start;
  }
}

/** Parses one line (without comment). Returns null for a blank line. */
function parseLine(text: string, line: number): Parsed<PyStmt | null> {
  const toks = tokenize(text, line);
  if (!toks.ok) return toks;
  if (toks.value.length === 0) return parsedOk(null);
  const p = new LineParser(toks.value, line, text.length);
  try {
    const first = toks.value[0]!;
    if (first.k === "name" && first.v === "class") return parsedOk(parseClass(p, line));
    if (first.k === "name" && first.v === "import") {
      p.name();
      for (;;) {
        const mod = p.name();
        if (!["gc", "sys", "weakref"].includes(mod))
          p.fail(`only gc, sys and weakref can be imported, found '${mod}'`);
        if (p.done()) break;
        p.eat(",");
      }
      return parsedOk(null);
    }
    if (first.k === "name" && first.v === "del" && toks.value.length > 1) {
      p.name();
      const targets = [p.target()];
      while (p.peek(",")) {
        p.eat(",");
        targets.push(p.target());
      }
      p.end();
      return parsedOk({ line, s: "del", targets });
    }
    if (first.k === "name" && first.v === "print" && toks.value[1]?.v === "(") {
      const e = p.expr();
      p.end();
      if (e.t === "call" && e.fn.t === "name") return parsedOk({ line, s: "print", args: e.args });
      return parsedOk({ line, s: "expr", value: e });
    }
    const eq = toks.value.findIndex((t) => t.k === "op" && t.v === "=");
    if (eq > 0) {
      const target = p.target();
      p.eat("=");
      const value = p.expr();
      p.end();
      return parsedOk({ line, s: "assign", target, value });
    }
    const value = p.expr();
    p.end();
    return parsedOk({ line, s: "expr", value });
  } catch (e) {
    if (typeof e === "object" && e !== null && "message" in e && "col" in e)
      return { ok: false, error: e as InputError };
    throw e;
  }
}

function parseClass(p: LineParser, line: number): PyStmt {
  p.name();
  const name = p.name();
  let slots: string[] | undefined;
  let weakref = false;
  let del = false;
  let legacy = false;
  let resurrect: string | undefined;
  while (!p.done()) {
    const opt = p.name();
    if (opt === "weakref") weakref = true;
    else if (opt === "del") del = true;
    else if (opt === "legacy") legacy = true;
    else if (opt === "slots") {
      p.eat("=");
      slots = [];
      if (!p.peek(",")) slots.push(p.name());
      while (p.peek(",")) {
        p.eat(",");
        slots.push(p.name());
      }
    } else if (opt === "resurrect") {
      p.eat("=");
      resurrect = p.name();
    } else
      p.fail(`unknown class option '${opt}' (expected slots=A,B, weakref, del, resurrect=LIST or legacy)`);
  }
  const spec: ClassOptions = {
    weakref,
    del,
    legacy,
    ...(slots !== undefined ? { slots } : {}),
    ...(resurrect !== undefined ? { resurrect } : {}),
  };
  return { line, s: "class", name, spec };
}

/** Parses a whole pygc script: the statements, or the first syntax error (line:col). */
export function parsePygc(source: string): Parsed<PyStmt[]> {
  const out: PyStmt[] = [];
  const lines = source.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const text = stripComment(lines[i]!);
    const r = parseLine(text, i + 1);
    if (!r.ok) return r;
    if (r.value !== null) out.push(r.value);
  }
  return parsedOk(out);
}

function stripComment(line: string): string {
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote !== "") {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#") return line.slice(0, i);
  }
  return line;
}
