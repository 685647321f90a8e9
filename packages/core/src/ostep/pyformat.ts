/**
 * Python's text formatting, as far as OSTEP's homework simulators use it: the `%` operator
 * (printf-style conversions d, i, x, X, o, s, f and `%%`), `str()` of ints, bools and
 * lists, and `print(a, b, …)` joining with spaces. Byte-identical output depends on every
 * detail here, so each rule follows CPython (Objects/unicodeobject.c, Python/pystrtod.c).
 */

/** A value a simulator prints: Python int (a safe-integer number), float, str, bool or list. */
export type PyValue = number | string | boolean | readonly PyValue[] | PyFloat;

/** A Python float, kept apart from ints because `str()` of 3.0 is "3.0", not "3". */
export interface PyFloat {
  readonly float: number;
}

/** Wraps a number that Python holds as a float. */
export const pyFloat = (x: number): PyFloat => ({ float: x });

const isPyFloat = (v: PyValue): v is PyFloat => typeof v === "object" && v !== null && "float" in v;

/**
 * `str(v)` as Python prints it: ints in decimal, `True`/`False`, lists as `[1, 2]` with
 * `repr` of the elements (strings quoted), floats by shortest round trip (`repr`).
 */
export function pyStr(v: PyValue): string {
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return intToString(v);
  if (isPyFloat(v)) return floatRepr(v.float);
  return `[${v.map(pyRepr).join(", ")}]`;
}

/** `repr(v)`: like `str` but strings quoted as Python quotes them. */
export function pyRepr(v: PyValue): string {
  if (typeof v === "string") return stringRepr(v);
  return pyStr(v);
}

/** `print(*values)` without the newline: the values' `str` joined by single spaces. */
export function pyPrintArgs(...values: PyValue[]): string {
  return values.map(pyStr).join(" ");
}

function intToString(n: number): string {
  if (!Number.isSafeInteger(n)) return BigInt(n).toString();
  return String(n);
}

function stringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let body = "";
  for (const ch of s) {
    if (ch === quote || ch === "\\") body += `\\${ch}`;
    else if (ch === "\n") body += "\\n";
    else if (ch === "\r") body += "\\r";
    else if (ch === "\t") body += "\\t";
    else if (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)
      body += `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
    else body += ch;
  }
  return quote + body + quote;
}

/** `repr(float)`: the shortest string that reads back to the same double, Python style. */
function floatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (Object.is(x, -0)) return "-0.0";
  const abs = Math.abs(x);
  if (abs >= 1e16 || abs < 1e-4) {
    // Python switches to exponent form at 1e16 and below 1e-4; JS at 1e21 and 1e-7.
    const [mant, exp] = x.toExponential().split("e") as [string, string];
    const e = Number(exp);
    return `${mant}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  const s = String(x);
  return s.includes(".") ? s : `${s}.0`;
}

interface Spec {
  readonly flags: string;
  readonly width: number;
  readonly precision: number | null;
  readonly conv: string;
}

const SPEC = /%([-+ #0]*)(\d*)(?:\.(\d+))?([diouxXsrf%])/g;

/**
 * `fmt % args` for the conversions OSTEP uses. Throws `SimError`-free plain `Error` only on
 * a programming mistake (too few arguments or a type mismatch), never on user input.
 */
export function pyPercent(fmt: string, ...args: PyValue[]): string {
  let next = 0;
  const out = fmt.replace(
    SPEC,
    (_m, flags: string, width: string, prec: string | undefined, conv: string) => {
      if (conv === "%") return "%";
      const arg = args[next++];
      if (arg === undefined) throw new Error(`pyPercent: not enough arguments for ${JSON.stringify(fmt)}`);
      const spec: Spec = {
        flags,
        width: width === "" ? 0 : Number(width),
        precision: prec === undefined ? null : Number(prec),
        conv,
      };
      return convert(spec, arg);
    },
  );
  if (next !== args.length) throw new Error(`pyPercent: too many arguments for ${JSON.stringify(fmt)}`);
  return out;
}

function convert(spec: Spec, arg: PyValue): string {
  switch (spec.conv) {
    case "s":
      return pad(spec, truncate(pyStr(arg), spec.precision));
    case "r":
      return pad(spec, truncate(pyRepr(arg), spec.precision));
    case "f":
      return formatSigned(
        spec,
        fixedDigits(Math.abs(toNumber(arg)), spec.precision ?? 6),
        isNegative(toNumber(arg)),
      );
    default:
      return formatInteger(spec, toInteger(arg));
  }
}

function truncate(s: string, precision: number | null): string {
  return precision === null ? s : s.slice(0, precision);
}

function toNumber(v: PyValue): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (isPyFloat(v)) return v.float;
  throw new Error(`pyPercent: a number is required, not ${pyRepr(v)}`);
}

function toInteger(v: PyValue): bigint {
  const n = toNumber(v);
  if (!Number.isFinite(n)) throw new Error("pyPercent: cannot convert a non-finite float to an integer");
  return BigInt(Math.trunc(n));
}

function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

function formatInteger(spec: Spec, n: bigint): string {
  const abs = n < 0n ? -n : n;
  let digits: string;
  let prefix = "";
  switch (spec.conv) {
    case "x":
      digits = abs.toString(16);
      if (spec.flags.includes("#")) prefix = "0x";
      break;
    case "X":
      digits = abs.toString(16).toUpperCase();
      if (spec.flags.includes("#")) prefix = "0X";
      break;
    case "o":
      digits = abs.toString(8);
      if (spec.flags.includes("#")) prefix = "0o";
      break;
    default:
      digits = abs.toString(10);
  }
  if (spec.precision !== null) digits = digits.padStart(spec.precision, "0");
  return formatSigned(spec, prefix + digits, n < 0n);
}

/** Sign, zero padding after the sign (flag 0), left or right justification (flag -). */
function formatSigned(spec: Spec, body: string, negative: boolean): string {
  let sign = "";
  if (negative) sign = "-";
  else if (spec.flags.includes("+")) sign = "+";
  else if (spec.flags.includes(" ")) sign = " ";
  if (spec.flags.includes("0") && !spec.flags.includes("-")) {
    return sign + body.padStart(spec.width - sign.length, "0");
  }
  return pad(spec, sign + body);
}

function pad(spec: Spec, s: string): string {
  return spec.flags.includes("-") ? s.padEnd(spec.width) : s.padStart(spec.width);
}

/**
 * The digits of `x` (non-negative, finite) with `precision` decimals, rounded as Python's
 * `%.Nf` rounds: from the exact binary value of the double, ties to even. `toFixed` differs
 * on exact ties (it rounds 0.125 to "0.13"; Python prints "0.12").
 */
export function fixedDigits(x: number, precision: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : "inf";
  const { mantissa, exponent } = decompose(x);
  const scale = 10n ** BigInt(precision);
  let q: bigint;
  if (exponent >= 0) {
    q = (mantissa << BigInt(exponent)) * scale;
  } else {
    const den = 1n << BigInt(-exponent);
    const num = mantissa * scale;
    q = num / den;
    const twice = (num % den) * 2n;
    if (twice > den || (twice === den && (q & 1n) === 1n)) q += 1n;
  }
  const s = q.toString().padStart(precision + 1, "0");
  if (precision === 0) return s;
  return `${s.slice(0, -precision)}.${s.slice(-precision)}`;
}

/** x = mantissa * 2^exponent exactly, for a finite non-negative double. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fracHi = BigInt(hi & 0xfffff);
  const frac = (fracHi << 32n) | BigInt(lo);
  if (biased === 0) return { mantissa: frac, exponent: -1074 };
  return { mantissa: frac | (1n << 52n), exponent: biased - 1075 };
}
