/**
 * Hash keys for the simulated dicts and sets: objects that compare equal in Python get the
 * same key string (1 == 1.0 == True), so the tables behave like CPython's without hashing
 * bytes. Unhashable objects (list, dict, set) have no key.
 */
import { Kind, type ObjectSpace, type ObjId } from "./space.js";

/** The key of `o`, or null when `o` is unhashable (list, dict, set, or a tuple containing one). */
export function hashKey(space: ObjectSpace, o: ObjId): string | null {
  const v = space.value[o];
  switch (space.kind[o]) {
    case Kind.NONE:
      return "None";
    case Kind.BOOL:
    case Kind.INT:
      return "n:" + String(v);
    case Kind.FLOAT: {
      const x = v as number;
      return Number.isInteger(x) ? "n:" + BigInt(x).toString() : "f:" + String(x);
    }
    case Kind.STR:
      return "s:" + String(v);
    case Kind.BYTES:
      return "b:" + String(v);
    case Kind.TUPLE: {
      const parts: string[] = [];
      for (const item of space.referents(o)) {
        const k = hashKey(space, item);
        if (k === null) return null;
        parts.push(k);
      }
      return "t(" + parts.join(",") + ")";
    }
    case Kind.LIST:
    case Kind.DICT:
    case Kind.SET:
      return null;
    default:
      return "o:" + o;
  }
}
