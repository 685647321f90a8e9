import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "@memsim/core": src("core"),
      "@memsim/cli": src("cli"),
    },
  },
  test: {
    include: ["packages/*/src/**/*.test.ts"],
    pool: "forks",
    testTimeout: 60_000,
    setupFiles: ["test/fast-check-setup.ts"],
  },
});
