#!/usr/bin/env node
// Reports the gzipped size of the JavaScript the lab's first page loads: the entry
// script, its modulepreloads and the engine worker. Lazily imported chunks (the editor)
// are listed apart. Usage: node scripts/bundle-size.mjs [--max KB] (exit 1 when over).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const html = readFileSync(join(dist, "index.html"), "utf8");
const first = new Set([...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]));
const assets = readdirSync(join(dist, "assets")).filter((f) => f.endsWith(".js"));
for (const f of assets) if (f.startsWith("engine.worker")) first.add(`assets/${f}`);
const size = (f) => gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
let total = 0;
for (const f of [...first].sort()) {
  const n = size(f);
  total += n;
  console.log(`first page  ${(n / 1024).toFixed(1).padStart(7)} kB gz  ${f}`);
}
for (const f of assets.map((a) => `assets/${a}`).filter((a) => !first.has(a))) {
  console.log(`lazy        ${(size(f) / 1024).toFixed(1).padStart(7)} kB gz  ${f}`);
}
console.log(`first-page JavaScript: ${(total / 1024).toFixed(1)} kB gzipped`);
const at = process.argv.indexOf("--max");
if (at > 0 && total / 1024 > Number(process.argv[at + 1])) {
  console.error(`over the budget of ${process.argv[at + 1]} kB`);
  process.exit(1);
}
