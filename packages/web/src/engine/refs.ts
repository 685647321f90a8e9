import {
  createTraceParser,
  detectTraceFormat,
  formatInputError,
  type InputError,
  type RefSink,
  RefsParser,
  type TraceFormat,
  type TraceParser,
} from "@memsim/core";

/**
 * References for the replacement lab, read with the engine's own trace parsers: a typed
 * string in the `refs` format (page numbers, decimal or 0x hex, separated by blanks or
 * commas, `#` comments), or a dropped file in any trace format the engine reads (refs,
 * Valgrind Lackey, libCacheSim csv or oracleGeneral, detected from its first bytes; a
 * `.gz` file is decompressed on the way). Files are streamed chunk by chunk.
 */

/** The references read, or the first mistake with its place. */
export type RefsRead =
  | { readonly kind: "refs"; readonly refs: Float64Array; readonly format: TraceFormat }
  | { readonly kind: "error"; readonly message: string };

/** Collects the keys a parser emits into one growing array. */
class KeyCollector {
  keys = new Float64Array(4096);
  count = 0;
  readonly sink: RefSink = (batch, _writes, n) => {
    if (this.count + n > this.keys.length) {
      const bigger = new Float64Array(Math.max(this.keys.length * 2, this.count + n));
      bigger.set(this.keys.subarray(0, this.count));
      this.keys = bigger;
    }
    this.keys.set(batch.subarray(0, n), this.count);
    this.count += n;
  };
  result(format: TraceFormat): RefsRead {
    return { kind: "refs", refs: this.keys.slice(0, this.count), format };
  }
}

function failed(source: string, e: InputError): RefsRead {
  return { kind: "error", message: formatInputError(source, e) };
}

/** Reads a reference string typed into the page. */
export function readRefs(text: string, source = "references"): RefsRead {
  const keys = new KeyCollector();
  const parser = new RefsParser(keys.sink);
  const e = parser.push(new TextEncoder().encode(text)) ?? parser.end();
  return e ? failed(source, e) : keys.result("refs");
}

/** Bytes looked at to detect a file's format (the engine's detector reads up to 64 KiB). */
const HEAD_BYTES = 1 << 16;

/** Streams a trace file through the parser of its detected format. */
export async function readTraceFile(file: Blob, name: string): Promise<RefsRead> {
  let stream = file.stream() as ReadableStream<Uint8Array>;
  if (name.endsWith(".gz")) stream = stream.pipeThrough(new DecompressionStream("gzip") as never);
  const reader = stream.getReader();
  const keys = new KeyCollector();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let parser: TraceParser | null = null;
  let format: TraceFormat = "refs";
  const feed = (chunk: Uint8Array): InputError | null => {
    if (!parser) {
      head.push(chunk);
      headBytes += chunk.length;
      if (headBytes < HEAD_BYTES) return null;
      return startParser();
    }
    return parser.push(chunk);
  };
  const startParser = (): InputError | null => {
    const all = new Uint8Array(headBytes);
    let at = 0;
    for (const c of head) {
      all.set(c, at);
      at += c.length;
    }
    format = detectTraceFormat(all, name.replace(/\.gz$/, ""));
    parser = createTraceParser(format, keys.sink);
    return parser.push(all);
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const e = feed(value);
      if (e) {
        await reader.cancel();
        return failed(name, e);
      }
    }
  } catch (e) {
    return {
      kind: "error",
      message: `${name}: cannot be read (${e instanceof Error ? e.message : String(e)})`,
    };
  }
  const e = (parser ? null : startParser()) ?? (parser as TraceParser | null)?.end() ?? null;
  return e ? failed(name, e) : keys.result(format);
}
