import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The lab bundles the engine from its TypeScript sources, so a web build needs no prior
// core build and tree-shakes what the views do not use.
const coreSources = fileURLToPath(new URL("../core/src/index.ts", import.meta.url));

export default defineConfig({
  base: "./",
  resolve: { alias: { "@memsim/core": coreSources } },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  worker: { format: "es" },
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1000,
  },
});
