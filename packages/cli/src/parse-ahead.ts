/**
 * Parse-ahead: a trace read and parsed in a second thread while this one simulates, so a
 * run takes max(parse, simulate) instead of their sum.
 *
 *   parse thread                                   simulating thread
 *   readChunks → core parser → copy into a     ──►  sink(keys, writes, count)
 *   pooled batch, post it (shared memory)           then post the batch back
 *          ▲                                                  │
 *          └──── return port + a shared counter (wakes) ◄─────┘
 *
 * The pool holds `PARSE_POOL` batches; when every batch is out, the parse thread sleeps
 * (`Atomics.wait`) until they come back, so a fast parser never runs more than the pool
 * ahead of a slow simulator and memory stays bounded. It is woken once per half pool
 * returned, not per batch: on a busy machine, where the two threads may share a core,
 * every wake-up would preempt the simulator. Messages keep their order, so the
 * sink sees the batches, the progress and a malformed record's error exactly as the
 * in-thread `streamTrace` would deliver them: the batches before the error, then the error.
 */
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { TraceFormat, TraceOptions } from "@memsim/core";
import { fileRange, readHead, sniffCompression } from "./input.js";
import { UsageError } from "./io.js";
import {
  type FormatChoice,
  type ProgressFn,
  type StreamStart,
  streamTraceWith,
  type TraceParsers,
} from "./trace-stream.js";

/** Batches in flight between the parse thread and the simulator (4.5 MiB at the default batch). */
export const PARSE_POOL = 8;
/** References per pooled batch to start with (the core parsers' batch; grown if a batch is bigger). */
const POOL_BATCH = 1 << 16;
/**
 * Bytes of an uncompressed oracleGeneral file the simulating thread reads and parses itself
 * while the parse thread starts (about 40 ms): 2^20 records, 24 MiB, about what the fastest
 * policies simulate in that time.
 */
export const LEAD_BYTES = (1 << 20) * 24;
/** The parse thread reports progress at most once per this many bytes read. */
const PROGRESS_STEP = 1 << 20;

/** The simulating side wakes a sleeping parse thread once per this many batches returned. */
const WAKE_EVERY = PARSE_POOL / 2;

/** Slots of the shared signal word array. */
const RETURNS = 0; // bumped after each batch posted back
const CANCEL = 1; // set when the simulating side gives up

/** One reusable batch: page keys, store flags and, when asked for, previous times. */
export interface PooledBatch {
  keys: Float64Array<SharedArrayBuffer>;
  writes: Uint8Array<SharedArrayBuffer>;
  prev: Int32Array<SharedArrayBuffer> | undefined;
}

/**
 * What the simulating side is given per batch: `prev` holds each reference's previous
 * time when `streamTraceAhead` was asked for them (see `PreviousTimes` in the core).
 */
export type AheadSink = (
  keys: Float64Array,
  writes: Uint8Array | undefined,
  count: number,
  prev?: Int32Array,
) => void;

/** The parse thread's lookup of previous times (the core's `PreviousTimes`). */
export interface PreviousTimesLike {
  push(keys: Float64Array, count: number, out: Int32Array): void;
}

/** What the parse thread is started with. */
export interface ParseWorkerData {
  readonly path: string;
  readonly format: FormatChoice;
  readonly options: TraceOptions;
  /** Where used batches come back. */
  readonly returns: MessagePort;
  /** [RETURNS, CANCEL] on shared memory. */
  readonly signal: Int32Array;
  /** Batches the parse thread may have out at once. */
  readonly pool: number;
  /** The module to load the parsers from (undefined: "@memsim/core"). */
  readonly parsersUrl: string | undefined;
  /** Where to start: the simulating thread has parsed the file up to there (its lead). */
  readonly from?: StreamStart;
  /**
   * When set, the parse thread also looks up every reference's previous time with a
   * `PreviousTimes` of this initial window, loaded from `url` (undefined: "@memsim/core").
   */
  readonly previous?: { readonly window: number; readonly url: string | undefined };
}

/** Messages from the parse thread, in stream order. */
export type ParseMessage =
  | {
      readonly kind: "batch";
      readonly keys: Float64Array<SharedArrayBuffer>;
      readonly writes: Uint8Array<SharedArrayBuffer>;
      readonly prev: Int32Array<SharedArrayBuffer> | undefined;
      readonly hasWrites: boolean;
      readonly count: number;
      /** Batches out of the pool once this one was posted (at most the pool size). */
      readonly outstanding: number;
    }
  | {
      readonly kind: "progress";
      readonly bytes: number;
      readonly total: number | undefined;
      readonly references: number;
    }
  | { readonly kind: "end"; readonly format: TraceFormat; readonly references: number }
  | {
      readonly kind: "error";
      readonly message: string;
      readonly usage: boolean;
      readonly exitCode: number;
      readonly stack: string | undefined;
    };

/** Starts a parse thread with `data` (the transfer list moves its return port). */
export type SpawnParseWorker = (data: ParseWorkerData, transferList: MessagePort[]) => Worker;

const WORKER_URL = new URL("./workers/parse-worker.js", import.meta.url);

/**
 * True when the parse thread can be started: the worker script exists only in the built
 * package, not when running from the TypeScript sources.
 */
export function parseAheadAvailable(): boolean {
  return !import.meta.url.endsWith(".ts");
}

/**
 * A module of the core found beside its entry point, such as the trace parsers (a few
 * milliseconds to load in a new thread, where the whole engine takes ~80 ms); undefined
 * when it cannot be found, and the parse thread loads the whole core.
 */
function coreModuleUrl(path: string): string | undefined {
  try {
    const url = new URL(path, import.meta.resolve("@memsim/core"));
    return url.protocol === "file:" && existsSync(fileURLToPath(url)) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts the built worker script. It is plain JavaScript, so it gets none of this
 * process's Node options: a loader such as tsx's would cost every start ~70 ms.
 */
function spawnBuilt(data: ParseWorkerData, transferList: MessagePort[]): Worker {
  return new Worker(WORKER_URL, { workerData: data, transferList, execArgv: [] });
}

/**
 * `streamTrace` with the reading and parsing in a second thread: same arguments, same
 * result, the same references to `sink` in the same order (called on this thread), the
 * same errors (`UsageError` for unreadable files and malformed records, after the
 * references before them). An exception thrown by `sink` stops the parse thread and is
 * rethrown. `spawn` starts the thread (default: the built worker script; see
 * `parseAheadAvailable`).
 *
 * An uncompressed oracleGeneral file of more than twice `lead` bytes starts with a lead:
 * this thread reads and parses its first `lead` bytes (rounded down to whole records) while
 * the parse thread starts, and the parse thread begins where the lead ends. A worker takes
 * about 40 ms to start, time the simulator would otherwise spend waiting.
 *
 * With `previousWindow`, the parse thread also looks up each reference's previous time
 * (a `PreviousTimes` of that initial window) and `sink` gets them as its fourth argument:
 * a stack-distance pass then only counts (`LruStackDistance.pushPrevious`). There is no
 * lead then, as the lookups must see every reference.
 */
export async function streamTraceAhead(
  path: string,
  format: FormatChoice,
  options: TraceOptions,
  sink: AheadSink,
  progress?: ProgressFn,
  spawn: SpawnParseWorker = spawnBuilt,
  lead: number = LEAD_BYTES,
  previousWindow?: number,
): Promise<{ format: TraceFormat; references: number }> {
  // The simulating side has loaded the core already (the parse thread never comes here).
  const core = await import("@memsim/core");
  const previous =
    previousWindow === undefined
      ? undefined
      : { window: previousWindow, url: coreModuleUrl("./analysis/latest-times.js") };
  const start =
    previous === undefined
      ? leadOf(path, format, lead, core.ORACLE_RECORD, core.detectTraceFormat)
      : undefined;
  return new Promise((resolve, reject) => {
    const { port1: returns, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(8));
    const data: ParseWorkerData = {
      path,
      format,
      options,
      returns: port2,
      signal,
      pool: PARSE_POOL,
      parsersUrl: coreModuleUrl("./trace/index.js"),
      ...(start === undefined ? {} : { format: "oracle-general", from: start }),
      ...(previous === undefined ? {} : { previous }),
    };
    const worker = spawn(data, [port2]);
    let settled = false;
    let given = 0;
    const settle = (error: unknown, result?: { format: TraceFormat; references: number }) => {
      if (settled) return;
      settled = true;
      returns.close();
      if (error !== undefined) {
        Atomics.store(signal, CANCEL, 1);
        Atomics.add(signal, RETURNS, 1);
        Atomics.notify(signal, RETURNS);
        void worker.terminate();
        reject(error);
      } else resolve(result!);
    };
    worker.on("message", (m: ParseMessage) => {
      if (settled) return;
      try {
        if (m.kind === "batch") {
          sink(m.keys, m.hasWrites ? m.writes : undefined, m.count, m.prev);
          giveBack(
            returns,
            signal,
            { keys: m.keys, writes: m.writes, prev: m.prev },
            ++given % WAKE_EVERY === 0,
          );
        } else if (m.kind === "progress") progress?.(m.bytes, m.total, m.references);
        else if (m.kind === "end") settle(undefined, { format: m.format, references: m.references });
        else settle(workerError(m));
      } catch (e) {
        settle(e);
      }
    });
    worker.on("error", (e) => settle(e));
    worker.on("exit", (code) => settle(new Error(`parse worker exited with code ${code} before the end`)));
    if (start !== undefined) {
      // The lead, parsed here while the worker starts; its messages wait until this returns.
      try {
        const parser = core.createTraceParser("oracle-general", sink, options);
        const total = statSync(path).size;
        let read = 0;
        for (const chunk of fileRange(path, 1 << 20, () => true, 0, start.bytes)) {
          parser.push(chunk);
          read += chunk.length;
          progress?.(read, total, parser.references);
        }
        if (read < start.bytes) throw new UsageError(`${path}: the file shrank while it was read`);
        parser.end(); // whole records: no error
        progress?.(start.bytes, total, start.references);
      } catch (e) {
        settle(e);
      }
    }
  });
}

/**
 * The lead of `path` (see `streamTraceAhead`), or undefined when it gets none: standard
 * input, a compressed or small file, or a format other than oracleGeneral.
 */
function leadOf(
  path: string,
  format: FormatChoice,
  lead: number,
  record: number,
  detect: TraceParsers["detectTraceFormat"],
): StreamStart | undefined {
  if (path === "-" || (format !== "oracle-general" && format !== "auto")) return undefined;
  const records = Math.floor(lead / record);
  if (records < 1) return undefined;
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size <= 2 * records * record) return undefined;
    const head = readHead(path, 1 << 16);
    if (sniffCompression(head) !== "none") return undefined;
    if (format === "auto" && detect(head, path) !== "oracle-general") return undefined;
  } catch {
    return undefined; // the parse thread reports the problem
  }
  return { bytes: records * record, references: records };
}

/**
 * Posts a used batch back to the parse thread, waking it if `wake`. The parse thread
 * sleeps only with every batch out, so the simulator returns them all in turn: waking on
 * every `WAKE_EVERY`-th return never leaves it asleep with free batches for long.
 */
function giveBack(returns: MessagePort, signal: Int32Array, batch: PooledBatch, wake: boolean): void {
  returns.postMessage(batch);
  Atomics.add(signal, RETURNS, 1);
  if (wake) Atomics.notify(signal, RETURNS);
}

/** The error a parse thread reported, as the in-thread path would have thrown it. */
function workerError(m: Extract<ParseMessage, { kind: "error" }>): Error {
  if (m.usage) return new UsageError(m.message, m.exitCode);
  const e = new Error(m.message);
  if (m.stack !== undefined) e.stack = m.stack;
  return e;
}

/** Thrown in the parse thread when the simulating side has given up. */
class Cancelled extends Error {}

/**
 * A batch on shared memory. Posting it shares it with the other thread instead of moving
 * it: a moved (transferred) buffer is detached from its thread, and once any buffer has
 * been detached, V8 guards every typed-array access of that thread against detachment.
 * That alone made the parse thread's parsing 1.3-1.7x slower, and the simulator paid the
 * same on its own typed arrays for the batches it gave back.
 */
function sharedBatch(size: number, withPrev: boolean): PooledBatch {
  return {
    keys: new Float64Array(new SharedArrayBuffer(8 * size)),
    writes: new Uint8Array(new SharedArrayBuffer(size)),
    prev: withPrev ? new Int32Array(new SharedArrayBuffer(4 * size)) : undefined,
  };
}

/**
 * The parse thread's side of the pool: at most `size` batches exist; `acquire` hands out
 * a free one, sleeping until the simulating side posts one back when all are out.
 */
export class BatchPool {
  private readonly free: PooledBatch[] = [];
  private allocated = 0;
  private readonly size: number;
  private readonly batchSize: number;
  private readonly returns: MessagePort;
  private readonly signal: Int32Array;
  private readonly withPrev: boolean;

  /** `withPrev`: batches carry an array of previous times too. */
  constructor(size: number, batchSize: number, returns: MessagePort, signal: Int32Array, withPrev = false) {
    this.size = size;
    this.batchSize = batchSize;
    this.returns = returns;
    this.signal = signal;
    this.withPrev = withPrev;
  }

  /** Batches handed out and not yet given back. */
  get outstanding(): number {
    return this.allocated - this.free.length;
  }

  /**
   * A batch holding at least `count` references; waits for one to come back when all are
   * out (up to `timeoutMs`, then undefined). Throws when the consumer has cancelled.
   */
  acquire(count: number, timeoutMs = Number.POSITIVE_INFINITY): PooledBatch | undefined {
    for (;;) {
      if (Atomics.load(this.signal, CANCEL) !== 0) throw new Cancelled("parse-ahead cancelled");
      const seen = Atomics.load(this.signal, RETURNS);
      const back = receiveMessageOnPort(this.returns);
      if (back !== undefined) this.free.push(back.message as PooledBatch);
      let b = this.free.pop();
      if (b === undefined && this.allocated < this.size) {
        this.allocated++;
        b = sharedBatch(this.batchSize, this.withPrev);
      }
      if (b !== undefined) {
        if (b.keys.length < count) b = sharedBatch(count, this.withPrev);
        return b;
      }
      // The consumer posts, then bumps RETURNS: a return after `seen` makes wait return at once.
      if (Atomics.wait(this.signal, RETURNS, seen, timeoutMs) === "timed-out") return undefined;
    }
  }
}

/**
 * The parse thread's body: streams `data.path` with `parsers` (the loop `streamTrace`
 * runs), copying each batch into a pooled one (with its references' previous times from
 * `previous`, when given) and posting it to `port` (buffers shared, not moved), then posts
 * the end or the error. Resolves when done; never rejects.
 */
export async function parseInWorker(
  port: MessagePort,
  data: ParseWorkerData,
  parsers: TraceParsers,
  previous?: PreviousTimesLike,
): Promise<void> {
  const pool = new BatchPool(data.pool, POOL_BATCH, data.returns, data.signal, previous !== undefined);
  let posted = 0;
  let last: { bytes: number; total: number | undefined; references: number } | undefined;
  const post = (m: ParseMessage) => port.postMessage(m);
  try {
    const result = await streamTraceWith(
      parsers,
      data.path,
      data.format,
      data.options,
      (keys, writes, count) => {
        const b = pool.acquire(count)!; // no timeout: waits for a batch to come back
        b.keys.set(keys.subarray(0, count));
        if (writes !== undefined) b.writes.set(writes.subarray(0, count));
        if (previous !== undefined) previous.push(keys, count, b.prev!);
        const { keys: k, writes: w, prev } = b;
        const hasWrites = writes !== undefined;
        post({ kind: "batch", keys: k, writes: w, prev, hasWrites, count, outstanding: pool.outstanding });
      },
      (bytes, total, references = 0) => {
        last = { bytes, total, references };
        if (bytes - posted < PROGRESS_STEP) return;
        posted = bytes;
        post({ kind: "progress", bytes, total, references });
      },
      data.from,
    );
    if (last !== undefined && last.bytes !== posted) post({ kind: "progress", ...last });
    post({ kind: "end", ...result });
  } catch (e) {
    if (!(e instanceof Cancelled)) post(errorMessage(e));
  } finally {
    data.returns.close();
  }
}

function errorMessage(e: unknown): ParseMessage {
  return {
    kind: "error",
    message: e instanceof Error ? e.message : String(e),
    usage: e instanceof UsageError,
    exitCode: e instanceof UsageError ? e.exitCode : 1,
    stack: e instanceof Error ? e.stack : undefined,
  };
}
