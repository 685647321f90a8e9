import { expect, test } from "./fixtures.js";

test("compares FIFO and LRU on Belady's string and shows the anomaly", async ({ page }) => {
  await page.goto("./");
  await page.getByRole("tab", { name: "Replacement lab" }).click();
  const form = page.locator(".refs-form");
  await form.locator("textarea").fill("1 2 3 4 1 2 5 1 2 3 4 5");
  await form.getByLabel("Frames", { exact: true }).fill("3");
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
