import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIo } from "../io.js";
import { main } from "../main.js";

const dir = mkdtempSync(join(tmpdir(), "pygc-"));
function script(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function run(...argv: string[]) {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe("memsim pygc", () => {
  // Expected output: CPython 3.11.7 running the same lines (with `class Node: pass`).
  it("prints what CPython prints for refcounts, sizes, cycles and tracking", async () => {
    const path = script(
      "demo.pygc",
      `# Two objects that refer to each other outlive \`del\` until the collector runs.
import gc, sys
gc.disable()
class Node
a = Node()
b = Node()
a.other = b
b.other = a
print(sys.getrefcount(a), sys.getsizeof(a))
del a
del b
print(gc.collect())
l = []
l.append(l)
print(sys.getsizeof(l), sys.getrefcount(l), gc.is_tracked(l))
print(l)
del l
print(gc.collect())
t = (1, "x", None)
print(gc.is_tracked(t), t)
d = {"k": [1, 2.5]}
print(d, len(d), sys.getsizeof(d), gc.is_tracked(d))
print(gc.get_threshold())
`,
    );
    const r = await run("pygc", path);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        "3 56",
        "2",
        "88 3 True",
        "[[...]]",
        "1",
        "False (1, 'x', None)",
        "{'k': [1, 2.5]} 1 184 True",
        "(700, 10, 10)",
        "",
      ].join("\n"),
    );
  });

  it("shows finalizers, resurrection and weakref callbacks", async () => {
    const path = script(
      "del.pygc",
      `gc.disable()
class D del
class R resurrect=saved
saved = []
a = D()
b = D()
a.b = b
b.a = a
del a, b
`,
    );
    const both = await run("pygc", path);
    expect(both.code).toBe(0);
    expect(both.out).toBe("");
    const bad = await run("pygc", script("bad.pygc", "x = 1\ndel x y\n"));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/bad\.pygc:2:7: unexpected 'y' at end of statement/);
    // CPython 3.11 prints, for the same lines (class D with __del__ printing "__del__", self):
    //   <weakref at 0x…; dead> / __del__ <…D object…> ×2 / 2 / __del__ <…D object…> / <weakref at 0x…; dead>
    const ok = script(
      "del2.pygc",
      `import gc, weakref
gc.disable()
class D del
a = D()
b = D()
a.b = b
b.a = a
w = weakref.ref(a, print)
del a
del b
print(gc.collect())
x = D()
w2 = weakref.ref(x, print)
del x
print(w() is None, w2() is not None)
`,
    );
    const r = await run("pygc", ok, "--stats");
    expect(r.code).toBe(0);
    const lines = r.out.replace(/0x[0-9a-f]+/g, "ADDR").split("\n");
    expect(lines.slice(0, 7)).toEqual([
      "<weakref at ADDR; dead>",
      "__del__ <__main__.D object at ADDR>",
      "__del__ <__main__.D object at ADDR>",
      "2",
      "__del__ <__main__.D object at ADDR>",
      "<weakref at ADDR; dead>",
      "True False",
    ]);
    expect(r.out).toMatch(/gc: count=\(\d+, 0, 0\) threshold=\(700, 10, 10\)/);
    expect(r.out).toMatch(/gc: generation 2: collections=1 collected=2 uncollectable=0/);
  });

  it("an exception in __del__ is printed and ignored, as CPython does", async () => {
    const path = script("unr.pygc", "class R resurrect=nowhere\nx = R()\ndel x\nprint(1)\n");
    const r = await run("pygc", path);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^__del__ <__main__\.R object at 0x[0-9a-f]+>\n1\n$/);
    expect(r.err).toBe(
      "Exception ignored in: <function R.__del__>\nNameError: name 'nowhere' is not a list\n",
    );
  });

  it("--process keeps the objects in a simulated process: its RSS grows with them", async () => {
    const small = await run("pygc", script("p1.pygc", "class A\nx = A()\n"), "--process");
    const big = await run(
      "pygc",
      script("p2.pygc", `class A\nl = []\n${"l.append(A())\n".repeat(2000)}print(len(l))\n`),
      "--process",
    );
    const rss = (out: string) => Number(/VmRSS: (\d+) kB/.exec(out)?.[1]);
    expect(small.code).toBe(0);
    expect(big.out).toMatch(
      /^2000\nprocess python \(pid \d+\): VmSize: \d+ kB, VmRSS: \d+ kB, RssAnon: \d+ kB\n$/,
    );
    // 2000 instances (64 + 272 bytes each) are about 650 KiB more resident memory
    expect(rss(big.out) - rss(small.out)).toBeGreaterThan(500);
    expect(rss(big.out) - rss(small.out)).toBeLessThan(1200);
  });

  it("reports Python errors with the line, and events on request", async () => {
    const path = script("err.pygc", "x = []\nprint(y)\n");
    const r = await run("pygc", path);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${path}:2: NameError: name 'y' is not defined\n`);
    const ev = script("ev.pygc", "l = []\nl.append(l)\ndel l\nprint(gc.collect())\n");
    const e = await run("pygc", ev, "--events");
    expect(e.out).toContain("gc-subtract from=#");
    expect(e.out).toContain("gc-phase phase=move_unreachable");
    expect(e.out.split("\n")).toContain("1");
    const missing = await run("pygc", join(dir, "nope.pygc"));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read file/);
  });
});

describe("docs/python-gc.md examples", () => {
  const doc = readFileSync(new URL("../../../../docs/python-gc.md", import.meta.url), "utf8");
  const blocks = [...doc.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], body: m[2]! }));

  it("the first script prints the output shown under it", async () => {
    const i = blocks.findIndex((b) => b.lang === "pygc");
    const r = await run("pygc", script("doc1.pygc", blocks[i]!.body));
    expect(r.code).toBe(0);
    expect(r.out).toBe(blocks[i + 1]!.body);
  });

  it("every pygc example runs", async () => {
    const scripts = blocks.filter((b) => b.lang === "pygc");
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const [k, b] of scripts.entries()) {
      const r = await run("pygc", script(`doc-${k}.pygc`, b.body));
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
    }
  });
});
