import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { memoryIo } from "../io.js";
import { main } from "../main.js";

const dir = mkdtempSync(join(tmpdir(), "memsim-replace-"));
const belady = join(dir, "belady.txt");
writeFileSync(belady, "1,2,3,4,1,2,5,1,2,3,4,5\n");
const LACKEY = new URL("../../../../../shared/fixtures/traces/mem_sort_head.txt.gz", import.meta.url);

async function run(args: string[]) {
  const io = memoryIo();
  const code = await main(args, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe("memsim replace", () => {
  it("prints a table with every column", async () => {
    const r = await run(["replace", belady, "--policy", "fifo,lru", "--frames", "3,4"]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n");
    expect(lines[0]).toMatch(
      /^policy\s+frames\s+accesses\s+hits\s+misses\s+miss ratio\s+write-backs\s+req\/s$/,
    );
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 6))).toEqual([
      ["fifo", "3", "12", "3", "9", "0.7500"],
      ["fifo", "4", "12", "2", "10", "0.8333"],
      ["lru", "3", "12", "2", "10", "0.8333"],
      ["lru", "4", "12", "4", "8", "0.6667"],
    ]);
  });
  it("--json prints policy, frames, accesses, hits, misses, missRatio", async () => {
    const r = await run(["replace", belady, "--policy", "opt", "--frames", "3", "--json"]);
    const rows = JSON.parse(r.out) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      policy: "opt",
      frames: 3,
      accesses: 12,
      hits: 5,
      misses: 7,
      missRatio: 7 / 12,
    });
  });
  it("--csv prints a header and one line per run", async () => {
    const r = await run(["replace", belady, "--policy", "clock", "--frames", "2,3", "--csv"]);
    const lines = r.out.trim().split("\n");
    expect(lines[0]).toBe("policy,frames,accesses,hits,misses,missRatio,writebacks,requestsPerSecond");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^clock,2,12,/);
  });
  it("reads a gzipped Lackey trace, counting dirty write-backs", async () => {
    const head = readFileSync(LACKEY);
    const r = await run([
      "replace",
      LACKEY.pathname,
      "--policy",
      "lru",
      "--frames",
      "8",
      "--json",
      "--quiet",
    ]);
    expect(head.length).toBeGreaterThan(0);
    const [row] = JSON.parse(r.out) as { accesses: number; misses: number; writebacks: number }[];
    expect(row!.accesses).toBeGreaterThan(5_000_000);
    expect(row!.writebacks).toBeGreaterThan(0);
    expect(row!.writebacks).toBeLessThanOrEqual(row!.misses);
  });
  it("--no-ifetch drops instruction fetches", async () => {
    const file = join(dir, "small.lackey.gz");
    writeFileSync(file, gzipSync("I  0401ab70,3\n L 1fff000738,8\n S 1fff000738,8\n"));
    const all = JSON.parse((await run(["replace", file, "--frames", "4", "--json"])).out) as {
      accesses: number;
    }[];
    const data = JSON.parse((await run(["replace", file, "--frames", "4", "--json", "--no-ifetch"])).out) as {
      accesses: number;
      writebacks: number;
    }[];
    expect(all[0]!.accesses).toBe(3);
    expect(data[0]!.accesses).toBe(2);
  });
  it("a malformed line stops the run with FILE:LINE and exit 2", async () => {
    const bad = join(dir, "bad.txt");
    writeFileSync(bad, "1 2 3\n4 five\n");
    const r = await run(["replace", bad, "--frames", "2"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${bad}:2: expected a page number, found "five"\n`);
  });
  it("refuses unknown policies and bad frame lists", async () => {
    expect((await run(["replace", belady, "--policy", "nope", "--frames", "2"])).err).toMatch(
      /unknown policy "nope"/,
    );
    const r = await run(["replace", belady, "--frames", "0"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--frames: expected a positive integer, found "0"/);
    expect((await run(["replace", join(dir, "missing"), "--frames", "2"])).code).toBe(2);
  });
});

describe("memsim mrc", () => {
  it("LRU's one-pass curve matches per-size runs, with --svg", async () => {
    const svg = join(dir, "c.svg");
    const r = await run(["mrc", belady, "--json", "--svg", svg]);
    const curve = JSON.parse(r.out) as { points: { frames: number; misses: number }[] };
    expect(curve.points.map((p) => [p.frames, p.misses])).toEqual([
      [1, 12],
      [2, 12],
      [3, 10],
      [4, 8],
      [5, 5],
    ]);
    expect(readFileSync(svg, "utf8")).toMatch(/^<svg[\s\S]*<path d="M/);
  });
  it("runs other policies per size (--csv)", async () => {
    const r = await run(["mrc", belady, "--policy", "fifo", "--max-frames", "5", "--points", "5", "--csv"]);
    expect(r.out).toBe(
      "frames,misses,missRatio\n1,12,1.000000\n2,12,1.000000\n3,9,0.750000\n4,10,0.833333\n5,5,0.416667\n",
    );
  });
});

describe("memsim anomaly", () => {
  it("finds Belady's anomaly for FIFO and none for LRU", async () => {
    const fifo = await run(["anomaly", belady]);
    expect(fifo.out).toContain("3 frames: 9 faults; 4 frames: 10 faults (+1)");
    const lru = await run(["anomaly", belady, "--policy", "lru", "--json"]);
    expect(JSON.parse(lru.out)).toMatchObject({ policy: "lru", maxFrames: 5, anomalies: [] });
  });
});
