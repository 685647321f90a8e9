/**
 * Reading numbers the way the OSTEP simulators read them: Python's `int(text)` and
 * `int(text, base)`, optparse's `type="int"` (a leading `0x`/`0b`/`0` picks base 16/2/8),
 * and the simulators' own `convert()` for sizes with a k, m or g suffix.
 *
 * Values are JavaScript numbers; a value beyond 2^53 (where a double stops counting
 * exactly) is refused, so every accepted value is exact.
 */

/** A parsed integer, or the sentence saying why the text is not one. */
export type PyIntResult =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly reason: string };

const DIGITS: Record<number, RegExp> = {
  2: /^[01](?:_?[01])*$/,
  8: /^[0-7](?:_?[0-7])*$/,
  10: /^[0-9](?:_?[0-9])*$/,
  16: /^[0-9a-f](?:_?[0-9a-f])*$/i,
};
const PREFIX: Record<number, string> = { 2: "0b", 8: "0o", 16: "0x" };

/**
 * Python's `int(text, base)` for base 2, 8, 10 or 16: surrounding whitespace, an optional
 * sign, the base's prefix (`0x`, `0o`, `0b`, optionally followed by `_`) and digits with
 * single underscores between them.
 */
export function pyInt(text: string, base: 2 | 8 | 10 | 16 = 10): PyIntResult {
  let s = asciiDigits(text).trim();
  let negative = false;
  if (s.startsWith("+") || s.startsWith("-")) {
    negative = s.startsWith("-");
    s = s.slice(1);
  }
  const prefix = PREFIX[base];
  if (prefix !== undefined && s.toLowerCase().startsWith(prefix)) {
    s = s.slice(2);
    if (s.startsWith("_")) s = s.slice(1);
  }
  const digits = DIGITS[base]!;
  if (!digits.test(s))
    return { ok: false, reason: `invalid literal for int() with base ${base}: ${quote(text)}` };
  const big = BigInt((prefix ?? "") + s.replaceAll("_", ""));
  const value = negative ? -big : big;
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    return {
      ok: false,
      reason: `${quote(text)} is too large (at most ${Number.MAX_SAFE_INTEGER} is supported)`,
    };
  }
  return { ok: true, value: Number(value) };
}

/**
 * optparse's `type="int"` conversion: `0x…` hexadecimal, `0b…` binary, any other leading
 * `0` octal (so `010` is 8 and `08` is an error), else decimal. The prefix test looks at
 * the raw text, so ` 010` (with a space) is decimal 10, as in optparse.
 */
export function optparseInt(text: string): PyIntResult {
  const head = text.slice(0, 2).toLowerCase();
  if (head === "0x") return pyInt(text, 16);
  if (head === "0b") return pyInt(text.slice(2) === "" ? "0" : text.slice(2), 2);
  if (text.startsWith("0")) return pyInt(text, 8);
  return pyInt(text, 10);
}

const SUFFIX: Record<string, number> = { k: 1024, m: 1024 * 1024, g: 1024 * 1024 * 1024 };

/**
 * The simulators' `convert(size)`: a decimal integer with an optional k, m or g suffix
 * (either case) meaning KiB, MiB, GiB. `""` fails as the original does (it indexes the
 * last character of an empty string).
 */
export function convertSize(text: string): PyIntResult {
  if (text === "")
    return { ok: false, reason: "an empty size (expected a number such as 16, 64k, 32m or 1g)" };
  const mult = SUFFIX[text.slice(-1).toLowerCase()];
  if (mult === undefined) return pyInt(text);
  const n = pyInt(text.slice(0, -1));
  if (!n.ok) return n;
  const value = n.value * mult;
  if (!Number.isSafeInteger(value)) {
    return {
      ok: false,
      reason: `${quote(text)} is too large (at most ${Number.MAX_SAFE_INTEGER} is supported)`,
    };
  }
  return { ok: true, value };
}

const DECIMAL = /\p{Nd}/u;

/**
 * Python reads any Unicode decimal digit (`١٢`, `１２`) as its value before parsing. Digits
 * come in runs of ten from 0 to 9, so a digit's value is its distance from the start of
 * its run, modulo 10.
 */
function asciiDigits(text: string): string {
  if (!/[^\p{ASCII}]/u.test(text)) return text;
  let out = "";
  for (const ch of text) {
    if (ch < "\x80" || !DECIMAL.test(ch)) {
      out += ch;
      continue;
    }
    let cp = ch.codePointAt(0)!;
    let steps = 0;
    while (DECIMAL.test(String.fromCodePoint(cp - 1))) {
      cp--;
      steps++;
    }
    out += String(steps % 10);
  }
  return out;
}

/** Python's `repr` of a str, for quoting user text in messages. */
function quote(text: string): string {
  return text.includes("'") && !text.includes('"') ? `"${text}"` : `'${text.replaceAll("'", "\\'")}'`;
}
