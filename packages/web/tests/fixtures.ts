import { test as base, expect } from "@playwright/test";

/**
 * Every lab test fails on any console error or uncaught page error, in the page or its
 * worker, and saves a screenshot of the page as it ended.
 */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use, testInfo) => {
      const errors: string[] = [];
      page.on("console", (msg) => {
        if (msg.type() === "error") errors.push(msg.text());
      });
      page.on("pageerror", (err) => errors.push(err.message));
      page.on("worker", (worker) =>
        worker.on("console", (msg) => msg.type() === "error" && errors.push(msg.text())),
      );
      await use(errors);
      await page.screenshot({ path: testInfo.outputPath("end.png"), fullPage: true });
      expect(errors, "console errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
