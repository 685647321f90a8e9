/**
 * Permalinks: the lab's state (scenario text, reference string, chosen policies, frames,
 * current step, open view) packed into the URL hash as `#v1.<base64url(deflate-raw(JSON))>`.
 * Anything a link does not say keeps its default, and a link that cannot be read is
 * reported in a sentence, never thrown at the page.
 */

/** What a link carries. Every field is optional: absent means "the default". */
export interface LinkState {
  readonly view?: "machine" | "replacement" | "heap" | "python";
  readonly scenario?: string;
  /** A pygc script (the Python view). */
  readonly script?: string;
  readonly step?: number;
  readonly refs?: string;
  readonly policies?: readonly string[];
  readonly frames?: number;
  readonly predict?: boolean;
}

/** The result of reading a hash: the state, or why it could not be read. */
export type LinkRead =
  | { readonly kind: "state"; readonly state: LinkState }
  | { readonly kind: "none" }
  | { readonly kind: "error"; readonly message: string };

const PREFIX = "#v1.";

/** Packs `state` into a URL hash (starting with `#v1.`). */
export async function encodeLink(state: LinkState): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(state));
  const packed = await pipeThrough(json, new CompressionStream("deflate-raw"));
  return PREFIX + toBase64Url(packed);
}

/** Reads a URL hash made by `encodeLink`; an empty hash is `none`. */
export async function decodeLink(hash: string): Promise<LinkRead> {
  if (hash === "" || hash === "#") return { kind: "none" };
  if (!hash.startsWith(PREFIX))
    return { kind: "error", message: `link: expected a hash starting with ${PREFIX}` };
  const bytes = fromBase64Url(hash.slice(PREFIX.length));
  if (!bytes) return { kind: "error", message: "link: the hash is not valid base64url" };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(
      await pipeThrough(bytes, new DecompressionStream("deflate-raw")),
    );
  } catch {
    return { kind: "error", message: "link: the hash is damaged (it does not decompress)" };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "error", message: "link: the hash does not hold JSON" };
  }
  return checkState(value);
}

/** Keeps only well-typed known fields; a wrong type for a known field is an error. */
function checkState(value: unknown): LinkRead {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { kind: "error", message: "link: expected an object of settings" };
  const v = value as Record<string, unknown>;
  const state: { -readonly [K in keyof LinkState]: LinkState[K] } = {};
  const wrong = (field: string, expected: string): LinkRead => ({
    kind: "error",
    message: `link: field "${field}" should be ${expected}`,
  });
  if (v.view !== undefined) {
    if (v.view !== "machine" && v.view !== "replacement" && v.view !== "heap" && v.view !== "python")
      return wrong("view", "machine, replacement, heap or python");
    state.view = v.view;
  }
  for (const field of ["scenario", "refs", "script"] as const) {
    if (v[field] === undefined) continue;
    if (typeof v[field] !== "string") return wrong(field, "text");
    state[field] = v[field] as string;
  }
  for (const field of ["step", "frames"] as const) {
    if (v[field] === undefined) continue;
    const n = v[field];
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0) return wrong(field, "a whole number ≥ 0");
    state[field] = n;
  }
  if (v.policies !== undefined) {
    if (!Array.isArray(v.policies) || !v.policies.every((p) => typeof p === "string"))
      return wrong("policies", "a list of policy names");
    state.policies = v.policies as string[];
  }
  if (v.predict !== undefined) {
    if (typeof v.predict !== "boolean") return wrong("predict", "true or false");
    state.predict = v.predict;
  }
  return { kind: "state", state };
}

async function pipeThrough(bytes: Uint8Array, transform: CompressionStream | DecompressionStream) {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** RFC 4648 §5 base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Inverse of `toBase64Url`; null when the text has characters outside the alphabet. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
