/**
 * Deep copies of a heap's JavaScript-side state (allocator lists and bitmaps, libc's block
 * table, memcheck's shadow and quarantine), for scenario snapshots: the machine restores
 * the simulated bytes, `restoreInto` puts the bookkeeping that describes them back.
 * Fields that reach the machine or the backing (`machine`, `backing`, `m`, `sink`) are
 * left alone: they are the same before and after.
 */
const SHARED = new Set(["machine", "backing", "m", "sink"]);

interface Fields {
  readonly fields: Record<string, unknown>;
}

function isFields(v: unknown): v is Fields {
  return typeof v === "object" && v !== null && Object.getPrototypeOf(v) === FieldsProto;
}
const FieldsProto = {};

/** A deep copy of `v` that shares nothing mutable with it. */
export function copyState(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (ArrayBuffer.isView(v)) return (v as unknown as { slice(): unknown }).slice();
  if (Array.isArray(v)) return v.map(copyState);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, copyState(x)]));
  if (v instanceof Set) return new Set(v);
  const fields: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (!SHARED.has(k)) fields[k] = copyState(x);
  return Object.assign(Object.create(FieldsProto) as object, { fields });
}

/** A fresh live value (plain objects, arrays, maps) from a copied state. */
function materialize(s: unknown): unknown {
  if (typeof s !== "object" || s === null) return s;
  if (isFields(s)) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(s.fields)) o[k] = materialize(x);
    return o;
  }
  if (ArrayBuffer.isView(s)) return (s as unknown as { slice(): unknown }).slice();
  if (Array.isArray(s)) return s.map(materialize);
  if (s instanceof Map) return new Map([...s].map(([k, x]) => [k, materialize(x)]));
  if (s instanceof Set) return new Set(s);
  return s;
}

/**
 * Writes a state taken by `copyState(target)` back into `target`, keeping the identity of
 * the class instances inside it (a Libc stays the same Libc) and copying everything else,
 * so one snapshot can be restored any number of times.
 */
export function restoreInto(target: object, snap: unknown): void {
  if (!isFields(snap)) return;
  const t = target as Record<string, unknown>;
  for (const [k, s] of Object.entries(snap.fields)) {
    const cur = t[k];
    const isInstance =
      typeof cur === "object" &&
      cur !== null &&
      Object.getPrototypeOf(cur) !== Object.prototype &&
      !ArrayBuffer.isView(cur);
    if (isInstance && isFields(s) && !(cur instanceof Map) && !(cur instanceof Set) && !Array.isArray(cur))
      restoreInto(cur, s);
    else t[k] = materialize(s);
  }
}
