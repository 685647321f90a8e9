#!/usr/bin/env node
// Serves the built lab (packages/web/dist) on localhost and prints its URL.
// Usage: node serve.mjs [--port N] [--dir PATH]. Port 0 or a taken port picks a free one
// (unless --strict-port). Static files only: the lab needs no backend.
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1] : fallback;
};
const root = resolve(option("--dir", fileURLToPath(new URL("../dist", import.meta.url))));
const wanted = Number(option("--port", process.env.PORT ?? "5173"));
const strict = args.includes("--strict-port");

if (!existsSync(join(root, "index.html"))) {
  console.error(`memsim lab: ${root}/index.html not found; build first (npm run build -w @memsim/web)`);
  process.exit(2);
}
if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) {
  console.error(`memsim lab: --port expects a number 0..65535, found ${option("--port", "")}`);
  process.exit(2);
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".msim": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
  let file = normalize(join(root, path));
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end("forbidden");
    return;
  }
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!existsSync(file)) {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    return;
  }
  res.writeHead(200, {
    "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    "cache-control": "no-cache",
  });
  res.end(readFileSync(file));
});

function listen(port) {
  server.once("error", (err) => {
    if (err.code === "EADDRINUSE" && !strict && port !== 0) listen(0);
    else {
      console.error(`memsim lab: cannot listen on port ${port}: ${err.message}`);
      process.exit(1);
    }
  });
  server.listen(port, "127.0.0.1", () => {
    const address = server.address();
    const actual = typeof address === "object" && address ? address.port : port;
    console.log(`memsim lab: http://localhost:${actual}/  (Ctrl+C stops)`);
  });
}
listen(wanted);
