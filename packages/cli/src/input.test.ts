import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readChunks, readLines, sniffCompression } from "./input.js";
import { UsageError } from "./io.js";

// A Zstandard frame holding "hello\nworld\n", as `zstd -c` writes it (raw block, checksum).
const ZSTD_HELLO = Uint8Array.from([
  0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x58, 0x61, 0x00, 0x00, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x0a, 0x77, 0x6f, 0x72,
  0x6c, 0x64, 0x0a, 0xb5, 0x0e, 0x87, 0x17,
]);

async function collect(path: string): Promise<string[]> {
  const out: string[] = [];
  for await (const [line] of readLines(path)) out.push(line);
  return out;
}

describe("readLines", () => {
  const dir = mkdtempSync(join(tmpdir(), "memsim-input-"));
  it("reads plain text with CRLF and no final newline", async () => {
    const p = join(dir, "a.txt");
    writeFileSync(p, "one\r\ntwo\nthree");
    expect(await collect(p)).toEqual(["one", "two", "three"]);
  });
  it("reads gzip by its magic number", async () => {
    const p = join(dir, "b.trace");
    writeFileSync(p, gzipSync("x\ny\n"));
    expect(await collect(p)).toEqual(["x", "y"]);
  });
  it("reads zstd by its magic number", async () => {
    const p = join(dir, "c.zst");
    writeFileSync(p, ZSTD_HELLO);
    expect(sniffCompression(ZSTD_HELLO)).toBe("zstd");
    expect(await collect(p)).toEqual(["hello", "world"]);
  });
  it("reads a real gzipped fixture in chunks", async () => {
    const p = new URL("../../../../shared/fixtures/traces/malloc_sort.log.gz", import.meta.url).pathname;
    let n = 0;
    for await (const [line, no] of readLines(p)) {
      n = no;
      if (no === 1) expect(line.startsWith("==")).toBe(true);
    }
    expect(n).toBeGreaterThan(500);
  });
  it("refuses a missing file with a clear message", async () => {
    await expect(async () => {
      for await (const _ of readChunks(join(dir, "nope"))) void _;
    }).rejects.toThrow(UsageError);
  });
  it("reports corrupt gzip data", async () => {
    const p = join(dir, "bad.gz");
    writeFileSync(p, Uint8Array.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    await expect(collect(p)).rejects.toThrow(/corrupt gzip/);
  });
});

describe("readChunks", () => {
  const dir = mkdtempSync(join(tmpdir(), "memsim-chunks-"));
  // Bytes that differ from chunk to chunk, so a chunk overwritten too early shows.
  const bytes = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);

  it("reads a plain file in chunks, each valid until the next is asked for", async () => {
    const p = join(dir, "plain.bin");
    writeFileSync(p, bytes);
    const copies: Uint8Array[] = [];
    for await (const c of readChunks(p, 999)) copies.push(c.slice());
    expect(copies.length).toBe(11);
    expect(Buffer.concat(copies).equals(Buffer.from(bytes))).toBe(true);
  });

  it("never refills a buffer a decompressor may still hold", async () => {
    const p = join(dir, "packed.gz");
    // Incompressible enough that the compressed file spans many small read chunks.
    writeFileSync(p, gzipSync(bytes, { level: 0 }));
    const kept: Uint8Array[] = [];
    for await (const c of readChunks(p, 512)) kept.push(c);
    expect(Buffer.concat(kept).equals(Buffer.from(bytes))).toBe(true);
  });
});
