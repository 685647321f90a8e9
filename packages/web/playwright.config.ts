import { defineConfig } from "@playwright/test";

// Browser tests open the built lab (dist/) served by scripts/serve.mjs in Debian's
// Chromium; `npm run test:browser` at the root builds first. The JSON report goes to the
// root test-results/ where the CI summary counts it.
const PORT = 4179;

export default defineConfig({
  testDir: "tests",
  outputDir: "test-results",
  timeout: 30_000,
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "../../test-results/playwright.json" }]],
  use: {
    baseURL: `http://localhost:${PORT}/`,
    viewport: { width: 1280, height: 900 },
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: `node scripts/serve.mjs --port ${PORT} --strict-port`,
    url: `http://localhost:${PORT}/`,
    reuseExistingServer: false,
    timeout: 20_000,
  },
});
