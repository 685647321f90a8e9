import { expect, test } from "./fixtures.js";

test("opens on the default scenario, steps forward and back, narrates, and the frame map changes", async ({
  page,
}) => {
  await page.goto("./");
  await expect(page.getByRole("tab", { name: "Machine" })).toHaveAttribute("aria-selected", "true");
  const position = page.getByTestId("position");
  await expect(position).toHaveText(/^step 0 \/ \d+$/);
  const narration = page.getByTestId("narration");
  const map = page.getByTestId("frame-map");
  const before = await map.screenshot();

  // Jump to the first page fault with the breakpoint key, then step on to its resolution.
  await page.keyboard.press("n");
  await expect(position).toHaveText(/^step 8 \//);
  await expect(narration).toContainText("major fault on read of 0x400000");
  await expect(page.getByTestId("maps")).toContainText("r-xp");
  const afterFault = await map.screenshot();
  expect(afterFault.equals(before)).toBe(false);

  await page.keyboard.press("ArrowRight");
  await expect(position).toHaveText(/^step 9 \//);
  await expect(narration).toContainText("TLB miss");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await expect(position).toHaveText(/^step 7 \//);
  await expect(narration).toContainText("read page 0 of /bin/A into frame 4");

  // The COW copy: a breakpoint on it alone, then the frame map shows who maps the new frame.
  for (const k of ["page fault", "eviction", "SIGSEGV"]) await page.getByLabel(k, { exact: true }).uncheck();
  await page.getByRole("button", { name: "next ▶" }).click();
  await expect(narration).toContainText("copy-on-write: page 0x403 copied from shared frame 5 to frame 11");
  const box = (await map.boundingBox())!;
  const pitch = (box.width + 2) / 16; // 32 frames: 16 a row, 2 px gaps
  await map.click({ position: { x: 11 * pitch + pitch / 3, y: pitch / 3 } });
  await expect(page.getByTestId("frame-owners")).toContainText("Frame 11");
  await expect(page.getByTestId("frame-owners")).toContainText("B (pid 2) page 0x403");
  await page.screenshot({ path: test.info().outputPath("machine-cow.png"), fullPage: true });

  // The end of the run: the SIGSEGV has killed B.
  await page.keyboard.press("End");
  await expect(page.getByRole("tab", { name: /B \(pid 2\) — SIGSEGV/ })).toBeVisible();
});

test("predict mode asks for the kind of the next fault and grades it", async ({ page }) => {
  await page.goto("./");
  await expect(page.getByTestId("position")).toHaveText(/^step 0 \//);
  await page.getByLabel("Predict mode").check();
  await page.getByLabel("jump to step").fill("4");
  await page.getByLabel("jump to step").press("Enter");
  await expect(page.getByTestId("position")).toHaveText(/^step 4 \//);
  const question = page.getByRole("group", { name: "Predict the next step" });
  await expect(question).toContainText("A reads at 0x400000 and the MMU raises a page fault");
  await question.getByLabel("major").check();
  await question.getByRole("button", { name: "Check" }).click();
  await expect(page.getByTestId("position")).toHaveText(/^step 5 \//);
  await expect(page.locator(".grade.right")).toContainText("Right. A: major fault on read of 0x400000");
});
