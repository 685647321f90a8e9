import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { InputError } from "../base/errors.js";
import { createTraceParser, detectTraceFormat, type TraceFormat, type TraceOptions } from "./format.js";

const enc = new TextEncoder();

interface Parsed {
  keys: number[];
  writes: number[];
  error: InputError | null;
}

/** Parses `input` split into chunks at `cuts` (byte offsets). */
function parse(
  format: TraceFormat,
  input: Uint8Array | string,
  options: TraceOptions = {},
  cuts: number[] = [],
): Parsed {
  const bytes = typeof input === "string" ? enc.encode(input) : input;
  const keys: number[] = [];
  const writes: number[] = [];
  const p = createTraceParser(
    format,
    (k, w, n) => {
      for (let i = 0; i < n; i++) {
        keys.push(k[i]!);
        writes.push(w ? w[i]! : 0);
      }
    },
    options,
    7, // tiny batches exercise the flushing
  );
  const points = [0, ...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length];
  for (let i = 0; i + 1 < points.length; i++) {
    const err = p.push(bytes.slice(points[i], points[i + 1]));
    if (err) return { keys, writes, error: err };
  }
  return { keys, writes, error: p.end() };
}

describe("refs", () => {
  it("reads numbers separated by spaces, commas and newlines, with w suffix, hex and comments", () => {
    const r = parse("refs", "1,2,3 4\n5w # a comment 9\n\t0x10r 0 7W\r\n");
    expect(r.error).toBeNull();
    expect(r.keys).toEqual([1, 2, 3, 4, 5, 16, 0, 7]);
    expect(r.writes).toEqual([0, 0, 0, 0, 1, 0, 0, 1]);
  });
  it("a final number without newline counts", () => {
    expect(parse("refs", "1 2 3").keys).toEqual([1, 2, 3]);
  });
  it("reports the line and what was found", () => {
    const r = parse("refs", "1 2\n3 x4\n");
    expect(r.error).toEqual({ line: 2, col: 0, message: 'expected a page number, found "x4"' });
    expect(parse("refs", "12q").error?.message).toBe(
      'expected a separator (space, comma or newline), found "q"',
    );
  });
  it("gives the same references however the input is cut into chunks", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.nat(1e9), fc.constantFrom("", "w", "r"), fc.constantFrom(" ", ",", "\n", " ,\n")),
        ),
        fc.array(fc.nat(400)),
        (items, cuts) => {
          const text = items.map(([k, s, sep]) => `${k}${s}${sep}`).join("");
          const whole = parse("refs", text);
          const split = parse("refs", text, {}, cuts);
          expect(split).toEqual(whole);
          expect(whole.keys).toEqual(items.map((i) => i[0]));
          expect(whole.writes).toEqual(items.map((i) => (i[1] === "w" ? 1 : 0)));
        },
      ),
    );
  });
});

describe("lackey", () => {
  const text = [
    "==1234== Lackey, an example Valgrind tool",
    "I  0401ab70,3",
    " L 1fff000738,8",
    " S 00001ffc,8", // crosses 0x2000: pages 1 and 2
    " M 0025747c,1",
    "I  04020ffe,4", // crosses into page 0x4021
    "==1234== total",
    "",
  ].join("\n");
  it("maps addresses to pages, splits crossing accesses, dirties S and M", () => {
    const r = parse("lackey", text);
    expect(r.error).toBeNull();
    expect(r.keys).toEqual([0x401a, 0x1fff000, 1, 2, 0x257, 0x4020, 0x4021]);
    expect(r.writes).toEqual([0, 0, 1, 1, 1, 0, 0]);
  });
  it("honours the page size and --no-ifetch", () => {
    const r = parse("lackey", text, { pageSize: 65536, ifetch: false });
    expect(r.keys).toEqual([0x1fff00, 0, 0x25]);
  });
  it("keeps 64-bit addresses exact", () => {
    expect(parse("lackey", " L ffffffffff600000,8\n").keys).toEqual([0xffffffffff600]);
  });
  it("reports malformed lines", () => {
    expect(parse("lackey", "I  0401ab70,3\n X 1234,4\n").error).toEqual({
      line: 2,
      col: 0,
      message: 'expected I, L, S or M, found "X"',
    });
    expect(parse("lackey", " L zz,4\n").error?.message).toBe('expected a hex address, found "zz,4"');
    expect(parse("lackey", " L 1234\n").error?.message).toBe("expected ',' and a size, found end of line");
  });
  it("agrees with a plain regex reading of the real ls trace (first 20,000 lines)", () => {
    const gz = readFileSync(
      new URL("../../../../../shared/fixtures/traces/mem_ls_head.txt.gz", import.meta.url),
    );
    const all = gunzipSync(gz, { finishFlush: 2 }).subarray(0, 1 << 20);
    const lines = new TextDecoder().decode(all).split("\n").slice(0, 20000);
    const window = lines.join("\n") + "\n";
    const expectedKeys: number[] = [];
    const expectedWrites: number[] = [];
    for (const l of lines) {
      const m = /^(I| L| S| M) +([0-9a-f]+),(\d+)$/.exec(l);
      if (!m) continue;
      const first = BigInt(`0x${m[2]}`);
      const last = first + BigInt(m[3]!) - 1n;
      for (let p = first >> 12n; p <= last >> 12n; p++) {
        expectedKeys.push(Number(p));
        expectedWrites.push(m[1] === " S" || m[1] === " M" ? 1 : 0);
      }
    }
    const r = parse("lackey", window, {}, [4096, 100000, 100001]);
    expect(r.error).toBeNull();
    expect(r.keys.length).toBeGreaterThan(19000);
    expect(r.keys).toEqual(expectedKeys);
    expect(r.writes).toEqual(expectedWrites);
  });
});

describe("csv", () => {
  it("reads the object id column, skipping a header", () => {
    const r = parse("csv", "time,obj_id,obj_size\n0,42,4096\n0,7,4096\r\n1,42,4096\n");
    expect(r.error).toBeNull();
    expect(r.keys).toEqual([42, 7, 42]);
  });
  it("takes the column and delimiter from the options", () => {
    expect(parse("csv", "a;1;9\nb;2;9\n", { idColumn: 2, delimiter: ";" }).keys).toEqual([1, 2]);
    expect(parse("csv", "5,1,9\n6,2,9\n", { idColumn: 1 }).keys).toEqual([5, 6]);
  });
  it("reports a bad id with its line", () => {
    expect(parse("csv", "0,1,4096\n0,x,4096\n").error).toEqual({
      line: 2,
      col: 0,
      message: 'expected an object id (a number) in column 2, found "x"',
    });
    expect(parse("csv", "0,1,4096\n17\n").error?.message).toBe('expected at least 2 fields, found 1 in "17"');
  });
});

describe("oracle-general", () => {
  function records(ids: bigint[]): Uint8Array {
    const buf = new Uint8Array(24 * ids.length);
    const dv = new DataView(buf.buffer);
    ids.forEach((id, i) => {
      dv.setUint32(24 * i, i, true);
      dv.setBigUint64(24 * i + 4, id, true);
      dv.setUint32(24 * i + 12, 4096, true);
      dv.setBigInt64(24 * i + 16, -1n, true);
    });
    return buf;
  }
  it("reads 24-byte little-endian records across chunk boundaries", () => {
    const ids = [0n, 1n, 4294967297n, 123456789012n, 3n];
    const r = parse("oracle-general", records(ids), {}, [5, 24, 30, 71]);
    expect(r.error).toBeNull();
    expect(r.keys).toEqual(ids.map(Number));
  });
  it("folds ids at or above 2^53 into safe integers, deterministically", () => {
    const r = parse("oracle-general", records([2n ** 63n + 5n, 2n ** 63n + 5n, 2n ** 62n]));
    expect(r.keys.every(Number.isSafeInteger)).toBe(true);
    expect(r.keys[0]).toBe(r.keys[1]);
    expect(r.keys[0]).not.toBe(r.keys[2]);
  });
  it("reports a truncated last record", () => {
    const buf = records([1n, 2n]).subarray(0, 40);
    expect(parse("oracle-general", buf).error?.message).toBe(
      "expected a 24-byte oracleGeneral record, found 16 trailing bytes",
    );
  });
});

describe("format detection", () => {
  it("tells the formats apart from their first bytes", () => {
    expect(detectTraceFormat(enc.encode("==1== Lackey\nI  0401ab70,3\n L 1fff000738,8\n"))).toBe("lackey");
    expect(detectTraceFormat(enc.encode("0,42,4096\n0,7,4096\n"))).toBe("csv");
    expect(detectTraceFormat(enc.encode("time,obj_id,obj_size\n0,42,4096\n"))).toBe("csv");
    expect(detectTraceFormat(enc.encode("1,2,3,4,1,2,5,1,2,3,4,5\n"))).toBe("refs");
    expect(detectTraceFormat(enc.encode("0,42,4096\n"), "t.csv")).toBe("csv");
    expect(detectTraceFormat(enc.encode("1\n2\n3\n"))).toBe("refs");
    expect(detectTraceFormat(new Uint8Array([0, 0, 0, 0, 42, 0, 0, 0]))).toBe("oracle-general");
  });
});
