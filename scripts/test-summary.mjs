#!/usr/bin/env node
// Sums the test runners' JSON reports under test-results/ into one line:
// "N passed, N failed". A failed step that left no report (lint, type-check)
// counts as one failure, passed in as the first argument (npm test's exit code).
import { existsSync, readdirSync, readFileSync } from "node:fs";

const dir = new URL("../test-results/", import.meta.url);
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(dir)) {
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    const report = JSON.parse(readFileSync(new URL(name, dir), "utf8"));
    if (typeof report.numPassedTests === "number") {
      // vitest (jest-compatible json reporter)
      passed += report.numPassedTests;
      failed += report.numFailedTests;
      skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    } else if (report.stats && typeof report.stats.expected === "number") {
      // playwright json reporter
      passed += report.stats.expected + (report.stats.flaky ?? 0);
      failed += report.stats.unexpected;
      skipped += report.stats.skipped ?? 0;
    }
  }
}
const npmExit = Number(process.argv[2] ?? 0);
if (npmExit !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
process.exit(failed > 0 || npmExit !== 0 ? 1 : 0);
