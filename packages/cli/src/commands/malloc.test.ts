import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { memoryIo } from "../io.js";
import { main } from "../main.js";

const FIXTURES = new URL("../../../../../shared/fixtures/traces/", import.meta.url);
const fixture = (name: string) => new URL(name, FIXTURES).pathname;

async function run(...argv: string[]) {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

/** Peak live bytes of a Valgrind log computed plainly from its text, as a reference. */
function referencePeakLive(path: string): { peak: number; events: number } {
  const text = gunzipSync(readFileSync(path)).toString();
  const live = new Map<string, number>();
  let cur = 0;
  let peak = 0;
  let events = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith("--")) continue;
    events++;
    const m =
      /(?:malloc|_Znwm|_Znam)\((\d+)\) = (0x[0-9A-F]+)$/.exec(line) ??
      /realloc\(0x0,\d+\)malloc\((\d+)\) = (0x[0-9A-F]+)$/.exec(line);
    const c = /calloc\((\d+),(\d+)\) = (0x[0-9A-F]+)$/.exec(line);
    const r = /realloc\((0x[0-9A-F]+),(\d+)\)/.exec(line);
    const f = /(?:free|_ZdlPvm?|_ZdaPvm?)\((0x[0-9A-F]+)\)$/.exec(line);
    if (r && r[1] !== "0x0") {
      cur -= live.get(r[1]!) ?? 0;
      live.delete(r[1]!);
      const to = / = (0x[0-9A-F]+)$/.exec(line);
      if (to && to[1] !== "0x0") {
        live.set(to[1]!, Number(r[2]));
        cur += Number(r[2]);
      }
    } else if (c) {
      live.set(c[3]!, Number(c[1]) * Number(c[2]));
      cur += Number(c[1]) * Number(c[2]);
    } else if (m && m[2] !== "0x0") {
      live.set(m[2]!, Number(m[1]));
      cur += Number(m[1]);
    } else if (f) {
      cur -= live.get(f[1]!) ?? 0;
      live.delete(f[1]!);
    }
    peak = Math.max(peak, cur);
  }
  return { peak, events };
}

describe("memsim malloc", () => {
  it("replays a real Valgrind log: one row per policy, peak live bytes as a plain reading gives", async () => {
    const file = fixture("malloc_gcc_p1.log.gz");
    const r = await run("malloc", file, "--policy", "tlsf,first-fit,buddy", "--json");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as Record<string, unknown>[];
    const ref = referencePeakLive(file);
    expect(rows.map((x) => x.policy)).toEqual(["tlsf", "first-fit", "buddy"]);
    for (const row of rows) {
      expect(row.pid).toBe(8066);
      expect(row.operations).toBe(ref.events);
      expect(row.peakLiveBytes).toBe(ref.peak);
      expect(row.peakFootprint as number).toBeGreaterThanOrEqual(ref.peak);
      expect(Object.keys(row.fragmentation as object)).toEqual(["f1", "f2", "f3", "f4"]);
      expect(row.opsPerSecond as number).toBeGreaterThan(0);
      expect(row.meanSearchLength as number).toBeGreaterThan(0);
    }
  });

  it("prints a table by default and reads glibc mtrace logs", async () => {
    const r = await run("malloc", fixture("mtrace_ls.txt.gz"), "--policy", "segregated");
    expect(r.code).toBe(0);
    const [head, row] = r.out.trimEnd().split("\n");
    expect(head).toMatch(/^pid\s+policy\s+ops\s+peak live\s+peak footprint\s+frag#1.*search\s+ops\/s$/);
    expect(row).toMatch(/^0\s+segregated\s+\d+/);
  });

  it("selects one process with --pid and refuses an absent one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "memsim-malloc-"));
    const log = join(dir, "two.log");
    writeFileSync(log, "--10-- malloc(100) = 0x1000\n--20-- malloc(300) = 0x1000\n--10-- free(0x1000)\n");
    const r = await run("malloc", log, "--policy", "tlsf", "--pid", "20", "--json");
    expect(
      JSON.parse(r.out).map((x: { pid: number; peakLiveBytes: number }) => [x.pid, x.peakLiveBytes]),
    ).toEqual([[20, 300]]);
    const all = await run("malloc", log, "--policy", "tlsf", "--json");
    expect(JSON.parse(all.out).map((x: { pid: number }) => x.pid)).toEqual([10, 20]);
    const bad = await run("malloc", log, "--pid", "30");
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(`memsim: malloc: ${log} has no process with pid 30\n`);
  });

  it("stops at a malformed line with FILE:LINE:COL and exit 2; unknown policies too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "memsim-malloc-"));
    const log = join(dir, "bad.log");
    writeFileSync(log, "--10-- malloc(100) = 0x1000\n--10-- frobnicate\n");
    const r = await run("malloc", log);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `${log}:2:8: expected a traced call such as malloc(32) = 0x4B6C040, found "frobnicate"\n`,
    );
    const p = await run("malloc", log, "--policy", "quick-fit");
    expect(p.code).toBe(2);
    expect(p.err).toMatch(/^memsim: malloc: unknown policy 'quick-fit'/);
  });
});
