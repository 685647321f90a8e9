import { expect, test } from "./fixtures.js";

test("the Python view steps a reference cycle into the collector and out", async ({ page }) => {
  await page.goto("./");
  await page.getByRole("tab", { name: "Python GC" }).click();
  const objects = page.getByTestId("py-objects");
  await expect(page.getByTestId("position")).toHaveText(/^step 0 \//);
  // Breakpoints: the collection starts, then each phase; stop at move_unreachable's verdicts.
  await page.getByLabel("unreachable", { exact: true }).check();
  for (const k of ["collection", "gc phase", "deallocation"])
    await page.getByLabel(k, { exact: true }).uncheck();
  await page.getByRole("button", { name: "next ▶" }).click();
  await expect(page.locator(".gc-phase")).toContainText("move_unreachable");
  await expect(objects.locator(".py-obj.unreachable")).toHaveCount(1);
  await expect(page.getByTestId("narration")).toContainText("tentatively unreachable");
  await expect(objects).toContainText("gc_refs 0");
  await page.screenshot({ path: test.info().outputPath("python-gc.png"), fullPage: true });
  await page.keyboard.press("End");
  await expect(page.getByTestId("py-output")).toHaveText("2");
  await expect(objects.locator(".py-obj", { hasText: "Node" }).filter({ hasText: "#" })).toHaveCount(1); // the class
});
