/**
 * Value syntax shared by every scenario command: sizes (`4096`, `0x1000`, `64k`, `1m`),
 * signed sizes (`+64k`, `-4k`), permissions (`rw`, `r-x`, `none`) and addresses
 * (`0x7000000000`, `heap+0`, `stack-8`, `buf+0x100`, `p+8`).
 */

/** An address as written: a base name (segment, region or symbol) plus a byte offset. */
export interface AddrExpr {
  /** `text`, `heap`, a region or symbol name; null for a plain number. */
  readonly base: string | null;
  readonly offset: number;
  /** The token as written, for messages. */
  readonly text: string;
  readonly col: number;
}

const SUFFIX: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Parses an unsigned size or number; null when `text` is not one. */
export function parseSize(text: string): number | null {
  const m = /^(0x[0-9a-f]+|0b[01]+|[0-9]+)([kmg])?$/i.exec(text);
  if (m === null) return null;
  const digits = m[1] as string;
  const n = /^0[xb]/i.test(digits) ? Number(digits.toLowerCase()) : Number.parseInt(digits, 10);
  const mult = m[2] === undefined ? 1 : (SUFFIX[m[2].toLowerCase()] as number);
  const value = n * mult;
  return Number.isSafeInteger(value) ? value : null;
}

/** Parses `+N`, `-N` or `N` (sizes with suffixes); null when it is not one. */
export function parseSignedSize(text: string): number | null {
  if (text.startsWith("+")) return parseSize(text.slice(1));
  if (text.startsWith("-")) {
    const n = parseSize(text.slice(1));
    return n === null ? null : -n;
  }
  return parseSize(text);
}

/** A name usable as a process, region, library or symbol name. */
export function isName(text: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(text);
}

/** Parses `NUMBER`, `NAME`, `NAME+SIZE` or `NAME-SIZE`; null when it is none of these. */
export function parseAddr(text: string, col: number): AddrExpr | null {
  const n = parseSize(text);
  if (n !== null) return { base: null, offset: n, text, col };
  const m = /^([A-Za-z_][A-Za-z0-9_.]*)(?:([+-])(.+))?$/.exec(text);
  if (m === null) return null;
  if (m[2] === undefined) return { base: m[1] as string, offset: 0, text, col };
  const off = parseSize(m[3] as string);
  if (off === null) return null;
  return { base: m[1] as string, offset: m[2] === "-" ? -off : off, text, col };
}
