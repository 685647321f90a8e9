/**
 * Streaming file input for trace commands: a file (or `-` for standard input) as an async
 * sequence of byte chunks, never loaded whole. gzip and Zstandard are recognised by their
 * magic numbers, whatever the file is called, and decompressed on the fly.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { createGunzip } from "node:zlib";
import { Decompress } from "fzstd";
import { UsageError } from "./io.js";

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

export type Compression = "none" | "gzip" | "zstd";

/** Which compression the first bytes of a file announce. */
export function sniffCompression(head: Uint8Array): Compression {
  const starts = (magic: number[]) => magic.every((b, i) => head[i] === b);
  if (starts(GZIP_MAGIC)) return "gzip";
  if (starts(ZSTD_MAGIC)) return "zstd";
  return "none";
}

/**
 * The decompressed bytes of `path` in chunks of about `highWaterMark` bytes. A chunk is
 * valid until the next one is asked for: the bytes of an uncompressed file are read into
 * one buffer, refilled for every chunk (no allocation per megabyte read). `start` (a byte
 * offset, only for a file known to be uncompressed) skips the bytes before it.
 * Throws `UsageError` when the file cannot be read or its compressed data is corrupt.
 */
export async function* readChunks(
  path: string,
  highWaterMark = 1 << 20,
  start = 0,
): AsyncGenerator<Uint8Array> {
  if (start > 0) {
    // The caller has read the file's start and knows it is not compressed.
    yield* fileChunks(path, highWaterMark, () => true, start);
    return;
  }
  if (path !== "-") {
    try {
      if (statSync(path).isDirectory())
        throw new UsageError(`${path}: is a directory, expected a trace file`);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`${path}: cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }
  // Until the first chunk tells, assume the chunks are kept (by a decompressor).
  let kind: Compression = "gzip";
  const raw = path === "-" ? process.stdin : fileChunks(path, highWaterMark, () => kind === "none");
  const chunks = raw[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  let first: IteratorResult<Uint8Array>;
  try {
    first = await chunks.next();
  } catch (e) {
    throw new UsageError(`${path}: cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (first.done) return;
  kind = sniffCompression(first.value);
  const rest = (async function* () {
    yield first.value;
    for (;;) {
      const r = await chunks.next();
      if (r.done) return;
      yield r.value;
    }
  })();
  try {
    if (kind === "none") yield* rest;
    else if (kind === "gzip") yield* gunzip(rest);
    else yield* unzstd(rest);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${path}: corrupt ${kind} data (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * The bytes of a regular file from `start` up to `end` (or its end), read synchronously in
 * chunks of at most `size` bytes. When `reuse()` says so, the next chunk is read into the
 * buffer of the last one (its consumer is done with a chunk when it asks for the next);
 * otherwise every chunk has a buffer of its own.
 */
export function* fileRange(
  path: string,
  size: number,
  reuse: () => boolean,
  start = 0,
  end = Number.POSITIVE_INFINITY,
): Generator<Uint8Array> {
  const fail = (e: unknown) =>
    new UsageError(`${path}: cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw fail(e);
  }
  try {
    let buf = new Uint8Array(size);
    for (let position = start; position < end; ) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, Math.min(size, end - position), position);
      } catch (e) {
        throw fail(e);
      }
      if (n === 0) return;
      position += n;
      yield buf.subarray(0, n);
      if (!reuse()) buf = new Uint8Array(size);
    }
  } finally {
    closeSync(fd);
  }
}

/** `fileRange` as the async sequence `readChunks` consumes. */
async function* fileChunks(
  path: string,
  size: number,
  reuse: () => boolean,
  start = 0,
): AsyncGenerator<Uint8Array> {
  yield* fileRange(path, size, reuse, start);
}

/** The first `n` bytes of `path` (fewer at its end). */
export function readHead(path: string, n: number): Uint8Array {
  for (const chunk of fileRange(path, n, () => false, 0, n)) return chunk;
  return new Uint8Array(0);
}

async function* gunzip(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const z = createGunzip();
  const feed = (async () => {
    for await (const c of source) {
      if (!z.write(c)) await new Promise<void>((r) => z.once("drain", () => r()));
    }
    z.end();
  })();
  feed.catch((e: unknown) => z.destroy(e instanceof Error ? e : new Error(String(e))));
  for await (const c of z) yield c as Buffer;
  await feed;
}

async function* unzstd(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  const d = new Decompress((chunk) => {
    out.push(chunk);
  });
  for await (const c of source) {
    d.push(c);
    while (out.length > 0) yield out.shift()!;
  }
  d.push(new Uint8Array(0), true);
  while (out.length > 0) yield out.shift()!;
}

/**
 * The text of `path` line by line (decompressed, UTF-8, without the newline), with the
 * 1-based line number. For line-oriented formats; binary formats use `readChunks`.
 */
export async function* readLines(path: string): AsyncGenerator<[line: string, lineNo: number]> {
  const decoder = new TextDecoder();
  let carry = "";
  let lineNo = 0;
  for await (const chunk of readChunks(path)) {
    const text = carry + decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = text.indexOf("\n", start); nl >= 0; nl = text.indexOf("\n", start)) {
      yield [text.charCodeAt(nl - 1) === 13 ? text.slice(start, nl - 1) : text.slice(start, nl), ++lineNo];
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  carry += decoder.decode();
  if (carry.length > 0) yield [carry, ++lineNo];
}
