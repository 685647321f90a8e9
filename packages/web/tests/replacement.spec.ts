import { expect, test } from "./fixtures.js";

test("compares FIFO and LRU on Belady's string and shows the anomaly", async ({ page }) => {
  await page.goto("./");
  await page.getByRole("tab", { name: "Replacement lab" }).click();
  const form = page.locator(".refs-form");
  await form.locator("textarea").fill("1 2 3 4 1 2 5 1 2 3 4 5");
  await form.getByLabel("Frames", { exact: true }).fill("3");
  await expect(form.getByLabel("fifo", { exact: true })).toBeChecked();
  await expect(form.getByLabel("lru", { exact: true })).toBeChecked();
  await form.getByRole("button", { name: "Compare" }).click();

  const summary = page.getByRole("table", { name: "policy summary" });
  await expect(summary.locator('tr[data-policy="fifo"] .misses')).toHaveText("9");
  await expect(summary.locator('tr[data-policy="lru"] .misses')).toHaveText("10");
  await expect(page.locator(".anomaly")).toContainText("FIFO misses 9 times with 3 frames but 10 with 4");

  // The grids step together: reference 3 evicts page 1 from frame 0 under both policies.
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("position").first()).toHaveText("reference 3 / 11");
  await expect(page.getByTestId("narration")).toContainText("FIFO chose frame 0 and evicted page 1");
  await expect(page.getByTestId("narration")).toContainText("LRU chose frame 0 and evicted page 1");
  const fifo = page.locator('table.grid[data-policy="fifo"]');
  await expect(fifo.locator("td.inserted.cursor")).toHaveText("4");
  await page.screenshot({ path: test.info().outputPath("replacement.png"), fullPage: true });
});

test("streams a dropped trace file through the worker", async ({ page }) => {
  await page.goto("./");
  await page.getByRole("tab", { name: "Replacement lab" }).click();
  await expect(page.getByRole("table", { name: "policy summary" })).toBeVisible();
  // A loop over 5 pages, 3000 references: FIFO and LRU miss every time with 4 frames.
  const text = Array.from({ length: 3000 }, (_, i) => i % 5).join("\n");
  await page
    .locator('input[type="file"]')
    .setInputFiles({ name: "loop.txt", mimeType: "text/plain", buffer: Buffer.from(text) });
  const summary = page.getByRole("table", { name: "policy summary" });
  await expect(summary.locator('tr[data-policy="fifo"] td').nth(2)).toHaveText("3000");
  await expect(summary.locator('tr[data-policy="fifo"] .misses')).toHaveText("3000");
  await expect(summary.locator('tr[data-policy="lru"] .misses')).toHaveText("3000");
  await expect(
    page.getByText("3000 references to 5 distinct pages; the grids show the first 2000."),
  ).toBeVisible();
});
