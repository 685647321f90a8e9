import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MessageChannel, Worker } from "node:worker_threads";
import { gunzipSync, gzipSync } from "node:zlib";
import { PreviousTimes, type RefSink } from "@memsim/core";
import { describe, expect, it } from "vitest";
import { UsageError } from "./io.js";
import {
  BatchPool,
  PARSE_POOL,
  type ParseMessage,
  type ParseWorkerData,
  type SpawnParseWorker,
  streamTraceAhead,
} from "./parse-ahead.js";
import { lruStackPass } from "./stack-pass.js";
import { type FormatChoice, streamTrace } from "./trace-source.js";

// The tests run from the TypeScript sources, where the worker script is not built: the
// real worker body (workers/parse-worker.ts) runs in a real thread through tsx's loader.
const WORKER_TS = new URL("./workers/parse-worker.ts", import.meta.url).href;
const tsxPkg = createRequire(import.meta.url).resolve("tsx/package.json");
const tsxEsmApi = (JSON.parse(readFileSync(tsxPkg, "utf8")) as { exports: Record<string, unknown> }).exports[
  "./esm/api"
] as { import: { default: string } };
const TSX_API = pathToFileURL(join(dirname(tsxPkg), tsxEsmApi.import.default)).href;
const BOOT = `import { register } from ${JSON.stringify(TSX_API)}; register(); await import(${JSON.stringify(WORKER_TS)});`;

/** Starts the worker from its sources; `watch` sees every message it posts. */
function tsxSpawn(watch?: (m: ParseMessage) => void): SpawnParseWorker {
  return (data: ParseWorkerData, transferList) => {
    const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(BOOT)}`), {
      workerData: data,
      transferList,
      execArgv: [],
    });
    if (watch) w.on("message", watch);
    return w;
  };
}

const FIXTURES = fileURLToPath(new URL("../../../../shared/fixtures/traces/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "memsim-parse-ahead-"));

/** What a sink saw: batch sizes, which batches had stores, every key and store flag, progress. */
interface Seen {
  counts: number[];
  withWrites: boolean[];
  keys: Buffer;
  writes: Buffer;
  progress: [number, number | undefined, number | undefined][];
}

type Progress = (b: number, t: number | undefined, refs?: number) => void;

function recorder(): { seen: Seen; sink: RefSink; progress: Progress } {
  const keys: Buffer[] = [];
  const writes: Buffer[] = [];
  const seen: Seen = {
    counts: [],
    withWrites: [],
    get keys() {
      return Buffer.concat(keys);
    },
    get writes() {
      return Buffer.concat(writes);
    },
    progress: [],
  };
  return {
    seen,
    sink(k, w, count) {
      seen.counts.push(count);
      seen.withWrites.push(w !== undefined);
      keys.push(Buffer.from(k.slice(0, count).buffer));
      writes.push(w === undefined ? Buffer.alloc(count) : Buffer.from(w.slice(0, count)));
    },
    progress: (b, t, refs) => seen.progress.push([b, t, refs]),
  };
}

/** Same bytes (a plain `toEqual` on megabytes is slow). */
function expectSameBytes(a: Buffer, b: Buffer): void {
  expect(a.length).toBe(b.length);
  expect(a.equals(b)).toBe(true);
}

type Outcome = { seen: Seen; result?: unknown; error?: { name: string; message: string; exitCode: unknown } };

async function outcome(run: (sink: RefSink, progress: Progress) => Promise<unknown>) {
  const r = recorder();
  const out: Outcome = { seen: r.seen };
  try {
    out.result = await run(r.sink, r.progress);
  } catch (e) {
    const err = e as Error & { exitCode?: unknown };
    out.error = { name: err.name, message: err.message, exitCode: err.exitCode };
    expect(e).toBeInstanceOf(UsageError);
  }
  return out;
}

/** Both paths over `path`: what the sink saw, the result or the error. */
async function both(path: string, format: FormatChoice, options = {}) {
  const inThread = await outcome((sink, p) => streamTrace(path, format, options, sink, p));
  const ahead = await outcome((sink, p) => streamTraceAhead(path, format, options, sink, p, tsxSpawn()));
  return { inThread, ahead };
}

/** A libCacheSim oracleGeneral file of `n` records with ids from `id(i)`. */
function oracleFile(name: string, n: number, id: (i: number) => bigint): string {
  const buf = Buffer.alloc(24 * n);
  for (let i = 0; i < n; i++) {
    buf.writeUInt32LE(i, 24 * i);
    buf.writeBigUInt64LE(id(i), 24 * i + 4);
    buf.writeUInt32LE(4096, 24 * i + 12);
    buf.writeBigInt64LE(-1n, 24 * i + 16);
  }
  const path = join(dir, name);
  writeFileSync(path, buf);
  return path;
}

describe("streamTraceAhead (parsing in a worker thread)", () => {
  it("delivers the same batches, progress and result as the in-thread path: gzipped Lackey fixture", async () => {
    const { inThread, ahead } = await both(join(FIXTURES, "mem_sort_head.txt.gz"), "auto");
    expect(inThread.error).toBeUndefined();
    expect(inThread.seen.keys.length / 8).toBeGreaterThan(1_000_000);
    expect(inThread.seen.withWrites).toContain(true);
    expect(ahead.result).toEqual(inThread.result);
    expect(ahead.seen.counts).toEqual(inThread.seen.counts);
    expect(ahead.seen.withWrites).toEqual(inThread.seen.withWrites);
    expectSameBytes(ahead.seen.keys, inThread.seen.keys);
    expectSameBytes(ahead.seen.writes, inThread.seen.writes);
    // Compressed: no total; the last report is every byte read, and every reference.
    expect(ahead.seen.progress.every(([, t]) => t === undefined)).toBe(true);
    expect(ahead.seen.progress.at(-1)).toEqual(inThread.seen.progress.at(-1));
    expect(ahead.seen.progress.at(-1)?.[2]).toBe(inThread.seen.keys.length / 8);
  });

  it("the same on a generated oracleGeneral file (format detected, ids past 2^53 folded)", async () => {
    const path = oracleFile("gen.oracleGeneral.bin", 300_000, (i) =>
      i % 7 === 0 ? (1n << 60n) + BigInt(i % 5000) : BigInt((i * 7919) % 100_003),
    );
    const { inThread, ahead } = await both(path, "auto");
    expect(inThread.result).toEqual({ format: "oracle-general", references: 300_000 });
    expect(ahead.result).toEqual(inThread.result);
    expect(ahead.seen.counts).toEqual(inThread.seen.counts);
    expect(ahead.seen.withWrites).toEqual(inThread.seen.withWrites);
    expectSameBytes(ahead.seen.keys, inThread.seen.keys);
    const size = 24 * 300_000;
    expect(ahead.seen.progress.at(-1)).toEqual([size, size, 300_000]);
    expect(inThread.seen.progress.at(-1)).toEqual([size, size, 300_000]);
  });

  it("an uncompressed oracleGeneral file starts with a lead parsed here: the same references, progress and result", async () => {
    const n = 300_000;
    const path = oracleFile("lead.oracleGeneral.bin", n, (i) => BigInt((i * 7919) % 100_003));
    const size = 24 * n;
    const lead = 24 * 70_000 + 5; // rounded down to whole records
    for (const format of ["oracle-general", "auto"] as const) {
      const inThread = await outcome((sink, p) => streamTrace(path, format, {}, sink, p));
      const started: ParseWorkerData[] = [];
      const spawn: SpawnParseWorker = (data, transfer) => {
        started.push(data);
        return tsxSpawn()(data, transfer);
      };
      const ahead = await outcome((sink, p) => streamTraceAhead(path, format, {}, sink, p, spawn, lead));
      expect(started.map((d) => [d.format, d.from])).toEqual([
        ["oracle-general", { bytes: 24 * 70_000, references: 70_000 }],
      ]);
      expect(ahead.result).toEqual({ format: "oracle-general", references: n });
      expectSameBytes(ahead.seen.keys, inThread.seen.keys);
      // Progress counts from the file's start, never backwards, up to every byte.
      expect(ahead.seen.progress).toContainEqual([24 * 70_000, size, 70_000]);
      expect(ahead.seen.progress.at(-1)).toEqual([size, size, n]);
      const bytes = ahead.seen.progress.map(([b]) => b);
      expect(bytes).toEqual([...bytes].sort((x, y) => x - y));
    }
  });

  it("after a lead, a truncated last record is reported at its number from the file's start", async () => {
    const whole = readFileSync(oracleFile("lead-short.bin", 200_000, BigInt));
    const path = join(dir, "lead-short.oracleGeneral.bin");
    writeFileSync(path, Buffer.concat([whole, Buffer.alloc(7)]));
    const inThread = await outcome((sink, p) => streamTrace(path, "oracle-general", {}, sink, p));
    const ahead = await outcome((sink, p) =>
      streamTraceAhead(path, "oracle-general", {}, sink, p, tsxSpawn(), 24 * 50_000),
    );
    expect(inThread.error?.message).toBe(
      `${path}:200001: expected a 24-byte oracleGeneral record, found 7 trailing bytes`,
    );
    expect(ahead.error).toEqual(inThread.error);
    expectSameBytes(ahead.seen.keys, inThread.seen.keys);
  });

  it("shares its batches with the parse thread instead of moving them: nothing is detached", async () => {
    // A moved buffer is detached, and V8 then guards every typed-array access of its thread.
    const path = oracleFile("shared.oracleGeneral.bin", 200_000, (i) => BigInt(i % 3000));
    const seen: Float64Array[] = [];
    const result = await streamTraceAhead(
      path,
      "oracle-general",
      {},
      (keys) => void seen.push(keys),
      undefined,
      tsxSpawn(),
      0,
    );
    expect(result.references).toBe(200_000);
    expect(seen.length).toBeGreaterThan(1);
    for (const keys of seen) {
      expect(keys.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(keys.length).toBeGreaterThan(0); // still attached after being given back
    }
  });

  it("asked for previous times, looks each reference's up: as PreviousTimes here would, with no lead", async () => {
    // Small and hash-mapped page numbers, over many renumberings of a 4,096-time window.
    const n = 300_000;
    const id = (i: number) => (i % 7 === 0 ? (1n << 60n) + BigInt(i % 5000) : BigInt((i * 7919) % 20_011));
    const bin = oracleFile("prev.oracleGeneral.bin", n, id);
    const text = join(dir, "prev.refs");
    writeFileSync(
      text,
      `${Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 9e15 + (i % 5000) : id(i))).join("\n")}\n`,
    );
    for (const path of [bin, text]) {
      const inThread = await outcome((sink, p) => streamTrace(path, "auto", {}, sink, p));
      const keys = new Float64Array(inThread.seen.keys.buffer, inThread.seen.keys.byteOffset, n);
      const want = new Int32Array(n);
      new PreviousTimes(4096).push(keys, n, want);
      expect(want.filter((t) => t < 0).length).toBe(new Set(keys).size);
      const started: ParseWorkerData[] = [];
      const spawn: SpawnParseWorker = (data, transfer) => {
        started.push(data);
        return tsxSpawn()(data, transfer);
      };
      const got: Buffer[] = [];
      const gotKeys: Buffer[] = [];
      const result = await streamTraceAhead(
        path,
        "auto",
        {},
        (k, _w, count, prev) => {
          expect(prev?.buffer).toBeInstanceOf(SharedArrayBuffer);
          got.push(Buffer.from(prev!.slice(0, count).buffer));
          gotKeys.push(Buffer.from(k.slice(0, count).buffer));
        },
        undefined,
        spawn,
        24 * 10_000,
        4096,
      );
      expect(result.references).toBe(n);
      expect(started.map((d) => [d.from, d.previous?.window])).toEqual([[undefined, 4096]]);
      expectSameBytes(Buffer.concat(got), Buffer.from(want.buffer));
      expectSameBytes(Buffer.concat(gotKeys), inThread.seen.keys);
    }
  });

  it("the stack-distance pass counting the parse thread's previous times gives the in-thread curve", async () => {
    // Page numbers small and hash-mapped; the window of 65,536 times renumbered several times.
    const n = 400_000;
    const path = oracleFile("pass.oracleGeneral.bin", n, (i) =>
      i % 5 === 0
        ? (1n << 50n) + BigInt((i * 7919) % 9001)
        : BigInt(Math.floor(30_000 * ((i * 0.6180339887) % 1) ** 2)),
    );
    const progress: number[] = [];
    const ahead = await lruStackPass(path, "auto", {}, undefined, (b) => void progress.push(b), tsxSpawn());
    const inThread = await lruStackPass(path, "auto", {}, undefined, undefined, false);
    expect(ahead.references).toBe(n);
    expect(ahead.distinct).toBe(inThread.distinct);
    expect(ahead.distinct).toBeGreaterThan(10_000);
    expect(ahead.missCurve(ahead.distinct + 1)).toEqual(inThread.missCurve(ahead.distinct + 1));
    expect(progress.at(-1)).toBe(24 * n);
  });

  it("asked for previous times, stops at a malformed line after the batches before it", async () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => `${(i * 31) % 5000}`);
    lines[150_001] = "12 x7 13";
    const path = join(dir, "bad-prev.refs");
    writeFileSync(path, `${lines.join("\n")}\n`);
    const inThread = await outcome((sink, p) => streamTrace(path, "refs", {}, sink, p));
    let counted = 0;
    const ahead = await outcome((sink, p) =>
      streamTraceAhead(
        path,
        "refs",
        {},
        (k, w, count, prev) => {
          counted += prev === undefined ? 0 : count;
          sink(k, w, count);
        },
        p,
        tsxSpawn(),
        undefined,
        1 << 16,
      ),
    );
    expect(ahead.error).toEqual(inThread.error);
    expect(ahead.error?.message).toBe(`${path}:150002: expected a page number, found "x7"`);
    expect(counted).toBe(inThread.seen.keys.length / 8);
    expect(counted).toBeGreaterThan(100_000);
  });

  it("no lead for a gzipped, small or text file: the parse thread reads it all", async () => {
    const bin = oracleFile("nolead.oracleGeneral.bin", 100_000, BigInt);
    const gz = join(dir, "nolead.oracleGeneral.bin.gz");
    writeFileSync(gz, gzipSync(readFileSync(bin)));
    const text = join(dir, "nolead.refs");
    writeFileSync(text, "1 2 3\n".repeat(200_000));
    for (const [path, format, lead] of [
      [gz, "auto", 24 * 1000],
      [bin, "oracle-general", 24 * 60_000], // more than half the file
      [text, "auto", 1000],
    ] as const) {
      const started: ParseWorkerData[] = [];
      const spawn: SpawnParseWorker = (data, transfer) => {
        started.push(data);
        return tsxSpawn()(data, transfer);
      };
      const ahead = await outcome((sink, p) => streamTraceAhead(path, format, {}, sink, p, spawn, lead));
      const inThread = await outcome((sink, p) => streamTrace(path, format, {}, sink, p));
      expect(started.map((d) => d.from)).toEqual([undefined]);
      expect(ahead.result).toEqual(inThread.result);
      expectSameBytes(ahead.seen.keys, inThread.seen.keys);
    }
  });

  it("a malformed line mid-file: the batches before it, then the same FILE:LINE message (exit 2)", async () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => `${(i * 31) % 5000}${i % 3 === 0 ? "w" : ""}`);
    lines[150_001] = "12 x7 13";
    const path = join(dir, "bad.refs");
    writeFileSync(path, lines.join("\n") + "\n");
    const { inThread, ahead } = await both(path, "refs");
    expect(inThread.error).toEqual({
      name: "UsageError",
      message: `${path}:150002: expected a page number, found "x7"`,
      exitCode: 2,
    });
    expect(ahead.error).toEqual(inThread.error);
    expect(inThread.seen.keys.length / 8).toBeGreaterThan(100_000);
    expect(ahead.seen.counts).toEqual(inThread.seen.counts);
    expectSameBytes(ahead.seen.keys, inThread.seen.keys);
    expectSameBytes(ahead.seen.writes, inThread.seen.writes);
  });

  it("a truncated oracleGeneral record, a missing file, a directory and corrupt gzip: the same messages", async () => {
    const truncated = join(dir, "short.oracleGeneral.bin");
    writeFileSync(truncated, Buffer.concat([readFileSync(oracleFile("x.bin", 3, BigInt)), Buffer.alloc(5)]));
    const corrupt = join(dir, "corrupt.txt.gz");
    const gz = gzipSync("1 2 3\n".repeat(100_000));
    writeFileSync(corrupt, gz.subarray(0, gz.length >> 1));
    const folder = join(dir, "a-folder");
    mkdirSync(folder);
    for (const [path, format] of [
      [truncated, "oracle-general"],
      [join(dir, "no-such-file"), "auto"],
      [folder, "auto"],
      [corrupt, "refs"],
    ] as const) {
      const { inThread, ahead } = await both(path, format);
      expect(inThread.error?.name).toBe("UsageError");
      expect(ahead.error).toEqual(inThread.error);
      expectSameBytes(ahead.seen.keys, inThread.seen.keys);
    }
  });

  it("bad parser options fail as in the thread", async () => {
    const path = join(dir, "t.csv");
    writeFileSync(path, "1,2,3\n4,5,6\n");
    const { inThread, ahead } = await both(path, "csv", { idColumn: 0 });
    expect(inThread.error?.message).toMatch(/id column/);
    expect(ahead.error).toEqual(inThread.error);
    expect(ahead.result).toEqual(inThread.result);
  });

  it("an error thrown by the sink stops the thread and is passed on", async () => {
    const path = oracleFile("stop.bin", 200_000, BigInt);
    let batches = 0;
    const boom = new RangeError("simulator broke");
    await expect(
      streamTraceAhead(
        path,
        "oracle-general",
        {},
        () => {
          if (++batches === 2) throw boom;
        },
        undefined,
        tsxSpawn(),
      ),
    ).rejects.toBe(boom);
    expect(batches).toBe(2);
  });

  it("a slow simulator never has more than the pool's batches outstanding", async () => {
    const path = oracleFile("slow.bin", 40 * 65_536, (i) => BigInt(i % 1000));
    const outstanding: number[] = [];
    let references = 0;
    const result = await streamTraceAhead(
      path,
      "oracle-general",
      {},
      (_k, _w, count) => {
        references += count;
        const until = performance.now() + 5; // a slow consumer: 5 ms per batch
        while (performance.now() < until) {}
      },
      undefined,
      tsxSpawn((m) => {
        if (m.kind === "batch") outstanding.push(m.outstanding);
      }),
      0, // no lead: the parse thread parses every batch
    );
    expect(result.references).toBe(40 * 65_536);
    expect(references).toBe(40 * 65_536);
    expect(outstanding).toHaveLength(40);
    expect(Math.max(...outstanding)).toBe(PARSE_POOL); // the parser ran ahead until the pool ran out
  });
});

describe("BatchPool", () => {
  it("hands out at most its size, then waits for a batch to come back and reuses it", () => {
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(8));
    const pool = new BatchPool(3, 16, port2, signal);
    const got = [pool.acquire(16), pool.acquire(16), pool.acquire(8)];
    expect(got.every((b) => b !== undefined && b.keys.length === 16)).toBe(true);
    expect(pool.outstanding).toBe(3);
    expect(pool.acquire(16, 20)).toBeUndefined(); // all out: times out
    const back = got[1]!;
    back.keys[0] = 42;
    port1.postMessage(back);
    Atomics.add(signal, 0, 1);
    const again = pool.acquire(16, 1000);
    expect(again?.keys[0]).toBe(42);
    expect(pool.outstanding).toBe(3);
    expect(pool.acquire(100, 0)).toBeUndefined();
    port1.postMessage(got[0]!);
    Atomics.add(signal, 0, 1);
    expect(pool.acquire(100, 1000)?.keys.length).toBe(100); // grown for a bigger batch
    port1.close();
  });
  it("throws once the consumer cancels", () => {
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(8));
    const pool = new BatchPool(1, 4, port2, signal);
    pool.acquire(4);
    Atomics.store(signal, 1, 1);
    expect(() => pool.acquire(4, 10)).toThrow(/cancelled/);
    port1.close();
  });
});

// The built CLI (npm run build, run by `prepare`) parses in a worker: its output must be
// the in-process output (from sources, parsing in this thread) byte for byte.
const BIN = fileURLToPath(new URL("../bin/memsim.js", import.meta.url));
const BUILT = existsSync(fileURLToPath(new URL("../dist/workers/parse-worker.js", import.meta.url)));
describe.skipIf(!BUILT)("memsim replace, built", () => {
  it("prints the same rows and errors as the in-thread path", async () => {
    const { execFileSync } = await import("node:child_process");
    const { main } = await import("./main.js");
    const { memoryIo } = await import("./io.js");
    const good = oracleFile("cli.bin", 100_000, (i) => BigInt((i * 13) % 4000));
    const lackey = join(dir, "excerpt.lackey.gz");
    const text = gunzipSync(readFileSync(join(FIXTURES, "mem_sort_head.txt.gz"))).toString("latin1");
    writeFileSync(lackey, gzipSync(text.split("\n").slice(0, 300_000).join("\n")));
    const bad = join(dir, "cli-bad.txt");
    writeFileSync(bad, "1 2 3\n".repeat(50_000) + "4 5 six\n7\n");
    const withoutSpeed = {
      json: (s: string) =>
        JSON.stringify(
          (JSON.parse(s) as Record<string, unknown>[]).map(({ requestsPerSecond: _, ...r }) => r),
        ),
      csv: (s: string) => s.replace(/,[^,\n]*$/gm, ""),
      table: (s: string) => s.replace(/\s+\S+$/gm, ""),
    };
    for (const [how, args] of [
      [
        "json",
        ["replace", good, "--policy", "fifo,lru,opt", "--frames", "100,1000", "--json", "--jobs", "1"],
      ],
      ["csv", ["replace", bad, "--policy", "lru", "--frames", "2", "--csv", "--jobs", "1"]],
      ["table", ["replace", lackey, "--policy", "clock,arc", "--frames", "64"]],
    ] as const) {
      const io = memoryIo();
      const code = await main([...args], io);
      let out = "";
      let err = "";
      let status = 0;
      try {
        out = execFileSync(process.execPath, [BIN, ...args], { encoding: "utf8", stdio: "pipe" });
      } catch (e) {
        const x = e as { stdout: string; stderr: string; status: number };
        [out, err, status] = [x.stdout, x.stderr, x.status];
      }
      expect(status).toBe(code);
      expect(err).toBe(io.stderr());
      if (code === 0) expect(withoutSpeed[how](out)).toBe(withoutSpeed[how](io.stdout()));
      else expect(out).toBe(io.stdout());
    }
  });
});
