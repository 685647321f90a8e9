/**
 * Runs parsed pygc statements (pygc-parse.ts) on a runtime: each statement becomes the
 * runtime calls CPython would make, with CPython's reference conventions (an evaluated
 * expression is a new reference; storing steals it), and `print` writes Python's reprs.
 */
import { PyException } from "./errors.js";
import { DEBUG_SAVEALL } from "./gc.js";
import type { ClassOptions, PyExpr, PyStmt, PyTarget } from "./pygc-parse.js";
import { formatRepr } from "./repr.js";
import type { ClassSpec, PyRuntime } from "./runtime.js";
import { Kind, type ObjId } from "./space.js";

function isConstant(e: PyExpr): boolean {
  if (e.t === "tuple") return e.items.every(isConstant);
  return e.t === "int" || e.t === "float" || e.t === "str" || e.t === "const";
}

/** Runs parsed statements on `rt`; `print` lines go to `out`. A Python error stops the run. */
export function runPygc(
  rt: PyRuntime,
  program: readonly PyStmt[],
  out: (line: string) => void,
): { ok: true } | { ok: false; line: number; error: PyException } {
  const interp = new Interpreter(rt, out);
  for (const st of program) {
    try {
      interp.exec(st);
    } catch (e) {
      if (e instanceof PyException) return { ok: false, line: st.line, error: e };
      throw e;
    }
  }
  return { ok: true };
}

export { Interpreter as PygcInterpreter };

class Interpreter {
  private printFn: ObjId | undefined;
  constructor(
    private readonly rt: PyRuntime,
    private readonly out: (line: string) => void,
  ) {}

  exec(st: PyStmt): void {
    const rt = this.rt;
    switch (st.s) {
      case "class":
        rt.assign(st.name, rt.newClass(this.classSpec(st.name, st.spec)));
        return;
      case "assign": {
        const v = this.eval(st.value);
        this.store(st.target, v);
        return;
      }
      case "del":
        for (const t of st.targets) this.delete(t);
        return;
      case "print": {
        const vals = st.args.map((a) => this.eval(a));
        this.out(vals.map((v) => this.repr(v, true)).join(" "));
        for (const v of vals) rt.decref(v);
        return;
      }
      case "expr":
        rt.decref(this.eval(st.value));
    }
  }

  private classSpec(name: string, o: ClassOptions): ClassSpec {
    const resurrect = o.resurrect;
    const del =
      resurrect !== undefined
        ? (rt: PyRuntime, self: ObjId) => {
            this.out(`__del__ ${this.repr(self, false)}`);
            const list = rt.lookup(resurrect);
            if (list === undefined || rt.space.kind[list] !== Kind.LIST) {
              throw new PyException("NameError", `name '${resurrect}' is not a list`);
            }
            rt.listAppend(list, self);
          }
        : o.del
          ? (_: PyRuntime, self: ObjId) => this.out(`__del__ ${this.repr(self, false)}`)
          : undefined;
    return {
      name,
      ...(o.slots !== undefined ? { slots: o.slots, weakrefSlot: o.weakref } : {}),
      ...(del !== undefined ? { del } : {}),
      ...(o.legacy ? { legacyDel: true } : {}),
    };
  }

  private store(t: PyTarget, v: ObjId): void {
    const rt = this.rt;
    if (t.t === "name") {
      rt.assign(t.name, v);
      return;
    }
    const obj = this.lookup(t.obj);
    try {
      if (t.t === "attr") rt.setAttr(obj, t.name, v);
      else {
        const k = this.eval(t.index);
        try {
          if (rt.space.kind[obj] === Kind.LIST) rt.listSet(obj, this.int(k), v);
          else if (rt.space.kind[obj] === Kind.DICT) rt.dictSet(obj, k, v);
          else
            throw new PyException(
              "TypeError",
              `'${rt.typeName(obj)}' object does not support item assignment`,
            );
        } finally {
          rt.decref(k);
        }
      }
    } finally {
      rt.decref(v);
    }
  }

  private delete(t: PyTarget): void {
    const rt = this.rt;
    if (t.t === "name") {
      if (!rt.del(t.name)) throw new PyException("NameError", `name '${t.name}' is not defined`);
      return;
    }
    const obj = this.lookup(t.obj);
    if (t.t === "attr") {
      rt.delAttr(obj, t.name);
      return;
    }
    const k = this.eval(t.index);
    try {
      if (rt.space.kind[obj] === Kind.LIST) rt.listDel(obj, this.int(k));
      else if (rt.space.kind[obj] === Kind.DICT) rt.dictDel(obj, k);
      else throw new PyException("TypeError", `'${rt.typeName(obj)}' object doesn't support item deletion`);
    } finally {
      rt.decref(k);
    }
  }

  private lookup(name: string): ObjId {
    const o = this.rt.lookup(name);
    if (o === undefined) throw new PyException("NameError", `name '${name}' is not defined`);
    return o;
  }

  private int(o: ObjId): number {
    const v = this.rt.valueOf(o);
    if (this.rt.space.kind[o] !== Kind.INT || typeof v !== "bigint") {
      throw new PyException("TypeError", `indices must be integers, not ${this.rt.typeName(o)}`);
    }
    return Number(v);
  }

  /** Evaluates to a NEW reference. */
  eval(e: PyExpr): ObjId {
    const rt = this.rt;
    switch (e.t) {
      case "int":
        return rt.newInt(e.v);
      case "float":
        return rt.newFloat(e.v);
      case "str":
        return rt.newStr(e.v);
      case "const":
        return e.v === "None" ? rt.newNone() : rt.newBool(e.v === "True");
      case "list":
        // The compiler turns a list of 3+ constants into LIST_EXTEND of a constant tuple.
        return this.withValues(e.items, (vs) =>
          e.items.length >= 3 && e.items.every(isConstant) ? rt.newListFrom(vs) : rt.newList(vs),
        );
      case "tuple":
        return this.withValues(e.items, (vs) => {
          const t = rt.newTuple(vs);
          // A tuple of constants is a code-object constant in CPython, never tracked.
          if (e.items.every(isConstant)) rt.untrack(t);
          return t;
        });
      case "dict": {
        const d = rt.newDict();
        for (const [ke, ve] of e.pairs) {
          this.withValues([ke, ve], ([k, v]) => rt.dictSet(d, k!, v!));
        }
        return d;
      }
      case "name": {
        if (e.name === "print" && rt.lookup("print") === undefined) {
          const f = this.printFunction();
          rt.incref(f);
          return f;
        }
        const o = this.lookup(e.name);
        rt.incref(o);
        return o;
      }
      case "attr":
        return this.evalAttr(e.obj, e.name);
      case "index":
        return this.evalIndex(e);
      case "is":
        return this.withValues([e.a, e.b], ([a, b]) => rt.newBool((a === b) !== e.negate));
      case "call":
        return this.evalCall(e.fn, e.args);
    }
  }

  private withValues<T>(exprs: readonly PyExpr[], fn: (vs: ObjId[]) => T): T {
    const vs: ObjId[] = [];
    try {
      for (const x of exprs) vs.push(this.eval(x));
      return fn(vs);
    } finally {
      for (const v of vs) this.rt.decref(v);
    }
  }

  private evalAttr(objExpr: PyExpr, name: string): ObjId {
    const rt = this.rt;
    if (objExpr.t === "name" && objExpr.name === "gc" && rt.lookup("gc") === undefined) {
      if (name === "garbage") {
        rt.incref(rt.gc.garbage);
        return rt.gc.garbage;
      }
      if (name === "DEBUG_SAVEALL") return rt.newInt(DEBUG_SAVEALL);
      throw new PyException("AttributeError", `module 'gc' has no attribute '${name}'`);
    }
    const obj = this.eval(objExpr);
    try {
      if (name === "__dict__") return rt.instanceDict(obj);
      const v = rt.getAttr(obj, name);
      if (v === undefined)
        throw new PyException("AttributeError", `'${rt.typeName(obj)}' object has no attribute '${name}'`);
      rt.incref(v);
      return v;
    } finally {
      rt.decref(obj);
    }
  }

  private evalIndex(e: { obj: PyExpr; index: PyExpr }): ObjId {
    const rt = this.rt;
    return this.withValues([e.obj, e.index], ([o, k]) => {
      const kind = rt.space.kind[o!];
      let v: ObjId | undefined;
      if (kind === Kind.LIST || kind === Kind.TUPLE) {
        const items = rt.items(o!);
        const i = this.int(k!);
        v = items[i < 0 ? i + items.length : i];
        if (v === undefined) throw new PyException("IndexError", `${rt.typeName(o!)} index out of range`);
      } else if (kind === Kind.DICT) {
        v = rt.dictGet(o!, k!);
        if (v === undefined) throw new PyException("KeyError", this.repr(k!, false));
      } else throw new PyException("TypeError", `'${rt.typeName(o!)}' object is not subscriptable`);
      rt.incref(v);
      return v;
    });
  }

  private evalCall(fn: PyExpr, args: readonly PyExpr[]): ObjId {
    const rt = this.rt;
    if (
      fn.t === "attr" &&
      fn.obj.t === "name" &&
      ["gc", "sys", "weakref"].includes(fn.obj.name) &&
      rt.lookup(fn.obj.name) === undefined
    ) {
      return this.withValues(args, (vs) => this.module(fn.obj.t === "name" ? fn.obj.name : "", fn.name, vs));
    }
    if (fn.t === "attr") {
      return this.withValues([fn.obj, ...args], ([o, ...vs]) => this.method(o!, fn.name, vs));
    }
    if (fn.t === "name" && rt.lookup(fn.name) === undefined) {
      return this.withValues(args, (vs) => this.builtin(fn.name, vs));
    }
    return this.withValues([fn, ...args], ([f, ...vs]) => {
      const k = rt.space.kind[f!];
      if (k === Kind.CLASS) return rt.newInstance(f!);
      if (k === Kind.WEAKREF) {
        const t = rt.weakrefGet(f!);
        rt.incref(t);
        return t;
      }
      if (k === Kind.FUNCTION) {
        rt.call(f!, vs);
        return rt.newNone();
      }
      throw new PyException("TypeError", `'${rt.typeName(f!)}' object is not callable`);
    });
  }

  private method(o: ObjId, name: string, vs: ObjId[]): ObjId {
    const rt = this.rt;
    if (name === "append" && vs.length === 1) rt.listAppend(o, vs[0]!);
    else if (name === "add" && vs.length === 1) rt.setAdd(o, vs[0]!);
    else if (name === "discard" && vs.length === 1) rt.setDiscard(o, vs[0]!);
    else throw new PyException("AttributeError", `'${rt.typeName(o)}' object has no method '${name}' here`);
    return rt.newNone();
  }

  private builtin(name: string, vs: ObjId[]): ObjId {
    const rt = this.rt;
    const one = () => {
      if (vs.length !== 1) throw new PyException("TypeError", `${name}() takes exactly one argument`);
      return vs[0]!;
    };
    switch (name) {
      case "len":
        return rt.newInt(rt.len(one()));
      case "id":
        return rt.newInt(rt.space.addr[one()]!);
      case "type":
        return rt.newStr(rt.typeName(one()));
      case "set":
        return rt.newSet(vs.length === 0 ? [] : rt.items(one()));
      case "list":
        return rt.newListFrom(vs.length === 0 ? [] : rt.items(one()));
      case "print":
        this.out(vs.map((v) => this.repr(v, true)).join(" "));
        return rt.newNone();
      default:
        throw new PyException("NameError", `name '${name}' is not defined`);
    }
  }

  private module(mod: string, name: string, vs: ObjId[]): ObjId {
    const rt = this.rt;
    const gc = rt.gc;
    const int = (i: number) => this.int(vs[i]!);
    const arg = (i: number) => {
      const v = vs[i];
      if (v === undefined) throw new PyException("TypeError", `${mod}.${name}() missing argument ${i + 1}`);
      return v;
    };
    const tupleOf = (ns: readonly number[]) => {
      const items = ns.map((n) => rt.newInt(n));
      const t = rt.newTuple(items);
      for (const i of items) rt.decref(i);
      return t;
    };
    const listOf = (objs: readonly ObjId[]) => rt.newList(objs);
    const key = `${mod}.${name}`;
    switch (key) {
      case "gc.collect":
        return rt.newInt(gc.collect(vs.length > 0 ? int(0) : 2));
      case "gc.get_count":
        return tupleOf(gc.getCount());
      case "gc.get_threshold":
        return tupleOf(gc.getThreshold());
      case "gc.set_threshold":
        gc.setThreshold(int(0), vs.length > 1 ? int(1) : undefined, vs.length > 2 ? int(2) : undefined);
        return rt.newNone();
      case "gc.enable":
        gc.enable();
        return rt.newNone();
      case "gc.disable":
        gc.disable();
        return rt.newNone();
      case "gc.isenabled":
        return rt.newBool(gc.isEnabled());
      case "gc.set_debug":
        gc.setDebug(int(0));
        return rt.newNone();
      case "gc.freeze":
        gc.freeze();
        return rt.newNone();
      case "gc.unfreeze":
        gc.unfreeze();
        return rt.newNone();
      case "gc.get_freeze_count":
        return rt.newInt(gc.getFreezeCount());
      case "gc.is_tracked":
        return rt.newBool(gc.isTracked(arg(0)));
      case "gc.is_finalized":
        return rt.newBool(gc.isFinalized(arg(0)));
      case "gc.get_objects":
        return listOf(gc.getObjects(vs.length > 0 ? int(0) : undefined));
      case "gc.get_referrers":
        return listOf(gc.getReferrers(...vs));
      case "gc.get_referents":
        return listOf(gc.getReferents(...vs));
      case "gc.get_stats":
        return this.stats();
      case "sys.getsizeof":
        return rt.newInt(rt.getsizeof(arg(0)));
      case "sys.getrefcount":
        // The argument's own reference is already counted: it is the evaluated temporary.
        return rt.newInt(rt.space.refcnt[arg(0)]!);
      case "weakref.ref":
        return rt.newWeakref(arg(0), vs.length > 1 ? vs[1]! : -1);
      default:
        throw new PyException("AttributeError", `module '${mod}' has no attribute '${name}'`);
    }
  }

  /** The builtin `print` as a function object (e.g. a weakref callback): prints its arguments' reprs. */
  private printFunction(): ObjId {
    if (this.printFn === undefined) {
      const f = this.rt.newFunction("print", (_, args) =>
        this.out(args.map((a) => this.repr(a, true)).join(" ")),
      );
      this.rt.assign("<builtins.print>", f);
      this.printFn = f;
    }
    return this.printFn;
  }

  private stats(): ObjId {
    const rt = this.rt;
    const dicts = rt.gc.getStats().map((s) => {
      const d = rt.newDict();
      for (const [k, v] of Object.entries(s)) {
        const n = rt.newInt(v);
        rt.dictSetStr(d, k, n);
        rt.decref(n);
      }
      return d;
    });
    const l = rt.newList(dicts);
    for (const d of dicts) rt.decref(d);
    return l;
  }

  repr(o: ObjId, top: boolean): string {
    return formatRepr(this.rt, o, top);
  }
}
