/**
 * Python's repr() of runtime objects, as CPython prints them: `[1, 'a', (2,)]`,
 * `<Node object at 0x7f…>`, `<weakref at 0x…; to 'Node' at 0x…>`, `[[...]]` for a list
 * inside itself. With `top`, a str prints bare, as print() does.
 */
import type { PyRuntime } from "./runtime.js";
import { Kind, type ObjId } from "./space.js";

const hexAddr = (rt: PyRuntime, o: ObjId) => "0x" + (rt.space.addr[o] ?? 0).toString(16);

/** repr(o), or str(o) for a top-level str. Cycles print as `[...]` / `{...}`. */
export function formatRepr(rt: PyRuntime, o: ObjId, top = false, seen: Set<ObjId> = new Set()): string {
  const s = rt.space;
  const v = rt.valueOf(o);
  switch (s.kind[o]) {
    case Kind.NONE:
      return "None";
    case Kind.BOOL:
      return v === 1n ? "True" : "False";
    case Kind.INT:
      return String(v);
    case Kind.FLOAT: {
      const x = v as number;
      return Number.isInteger(x) && Math.abs(x) < 1e16 ? x.toFixed(1) : String(x);
    }
    case Kind.STR:
      return top ? String(v) : quote(String(v));
    case Kind.BYTES:
      return "b" + quote(String(v));
    case Kind.TUPLE:
    case Kind.LIST:
    case Kind.SET:
    case Kind.DICT:
      return container(rt, o, seen);
    case Kind.FUNCTION:
      return `<function ${String(v)} at ${hexAddr(rt, o)}>`;
    case Kind.CLASS:
      return `<class '__main__.${String(v)}'>`;
    case Kind.INSTANCE:
      return `<__main__.${rt.typeName(o)} object at ${hexAddr(rt, o)}>`;
    case Kind.WEAKREF: {
      const t = rt.weakrefGet(o);
      if (t === rt.None) return `<weakref at ${hexAddr(rt, o)}; dead>`;
      return `<weakref at ${hexAddr(rt, o)}; to '${rt.typeName(t)}' at ${hexAddr(rt, t)}>`;
    }
    default:
      return "<freed object>";
  }
}

function container(rt: PyRuntime, o: ObjId, seen: Set<ObjId>): string {
  const k = rt.space.kind[o];
  const [open, close] = k === Kind.LIST ? ["[", "]"] : k === Kind.TUPLE ? ["(", ")"] : ["{", "}"];
  if (seen.has(o)) return `${open}...${close}`;
  seen.add(o);
  let body: string;
  if (k === Kind.DICT) {
    const all = rt.space.referents(o);
    const parts: string[] = [];
    for (let i = 0; i + 1 < all.length; i += 2) {
      parts.push(`${formatRepr(rt, all[i]!, false, seen)}: ${formatRepr(rt, all[i + 1]!, false, seen)}`);
    }
    body = parts.join(", ");
  } else
    body = rt
      .items(o)
      .map((x) => formatRepr(rt, x, false, seen))
      .join(", ");
  seen.delete(o);
  if (k === Kind.SET && body === "") return "set()";
  if (k === Kind.TUPLE && rt.len(o) === 1) return `(${body},)`;
  return open + body + close;
}

function quote(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  return q + s.replace(/\\/g, "\\\\").replace(new RegExp(q, "g"), "\\" + q) + q;
}
