import { readFileSync } from "node:fs";
import { encodeLink } from "../src/lab/permalink.js";
import { expect, test } from "./fixtures.js";

test("the heap view pins a use-after-free read to the freed block", async ({ page }) => {
  const scenario = readFileSync(
    new URL("../../../examples/memcheck-use-after-free.msim", import.meta.url),
    "utf8",
  );
  await page.goto(`./${await encodeLink({ view: "machine", scenario, step: 1_000_000 })}`);
  const heap = page.getByTestId("heap");
  await expect(heap).toContainText("Heap of A");
  const freed = heap.locator(".block.freed");
  await expect(freed).toContainText("← p");
  await expect(freed).toContainText("⚠ Invalid read of size 4");
  await expect(page.getByTestId("output")).toContainText(
    "All heap blocks were freed -- no leaks are possible",
  );
  await page.screenshot({ path: test.info().outputPath("heap.png"), fullPage: true });
});
