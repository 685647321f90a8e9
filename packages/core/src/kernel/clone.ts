/**
 * Deep copies of object graphs for machine snapshots.
 *
 * The kernel's state (processes, VMAs, the frame allocator, swap, the replacement policy's
 * typed arrays) is plain data held in class instances. `deepClone` copies such a graph:
 * class instances keep their prototype, typed arrays are copied, and views that share one
 * ArrayBuffer (a policy may view one buffer as Float64 and Int32) still share one copy.
 * Objects listed in `keep` (immutable configuration such as a page-table format) are
 * shared, not copied. Functions are shared as they are (they must not capture state).
 */

type Cloned = Map<object, unknown>;

/** A deep copy of `value`; `keep` holds objects to share instead of copying. */
export function deepClone<T>(value: T, keep: ReadonlySet<object> = new Set()): T {
  return copy(value, new Map(), keep) as T;
}

function copy(v: unknown, seen: Cloned, keep: ReadonlySet<object>): unknown {
  if (v === null || typeof v !== "object") return v;
  if (keep.has(v)) return v;
  const done = seen.get(v);
  if (done !== undefined) return done;
  if (ArrayBuffer.isView(v)) return copyView(v, seen);
  if (v instanceof ArrayBuffer) return copyBuffer(v, seen);
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    seen.set(v, out);
    for (const x of v) out.push(copy(x, seen, keep));
    return out;
  }
  if (v instanceof Map) {
    const out = new Map();
    seen.set(v, out);
    for (const [k, x] of v) out.set(copy(k, seen, keep), copy(x, seen, keep));
    return out;
  }
  if (v instanceof Set) {
    const out = new Set();
    seen.set(v, out);
    for (const x of v) out.add(copy(x, seen, keep));
    return out;
  }
  const out = Object.create(Object.getPrototypeOf(v)) as Record<string | symbol, unknown>;
  seen.set(v, out);
  for (const key of Reflect.ownKeys(v)) {
    const d = Object.getOwnPropertyDescriptor(v, key) as PropertyDescriptor;
    if ("value" in d) d.value = copy(d.value, seen, keep);
    Object.defineProperty(out, key, d);
  }
  return out;
}

function copyBuffer(b: ArrayBuffer, seen: Cloned): ArrayBuffer {
  const done = seen.get(b);
  if (done !== undefined) return done as ArrayBuffer;
  const out = b.slice(0);
  seen.set(b, out);
  return out;
}

interface ViewCtor {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): ArrayBufferView;
}

function copyView(v: ArrayBufferView, seen: Cloned): ArrayBufferView {
  const buf = copyBuffer(v.buffer as ArrayBuffer, seen);
  const ctor = v.constructor as ViewCtor;
  const length = v instanceof DataView ? v.byteLength : (v as unknown as { length: number }).length;
  const out = new ctor(buf, v.byteOffset, length);
  seen.set(v, out);
  return out;
}
