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

  // Jump to the first page fault with the breakpoint key, then step on past its resolution.
  await page.keyboard.press("n");
  await expect(narration).toContainText("major fault on read of 0x400000");
  const at = Number((await position.textContent())!.match(/^step (\d+)/)![1]);
  expect(at).toBeGreaterThan(0);
  await expect(page.getByTestId("maps")).toContainText("r-xp");
  const afterFault = await map.screenshot();
  expect(afterFault.equals(before)).toBe(false);

  await page.keyboard.press("ArrowRight");
  await expect(position).toHaveText(new RegExp(`^step ${at + 1} /`));
  await expect(narration).toContainText("TLB miss");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await expect(position).toHaveText(new RegExp(`^step ${at - 1} /`));
  await expect(narration).toContainText("read page 0 of /bin/A into frame");

  // The COW copy: a breakpoint on it alone, then the frame map shows who maps the new frame.
  for (const k of ["page fault", "eviction", "SIGSEGV"]) await page.getByLabel(k, { exact: true }).uncheck();
  await page.getByRole("button", { name: "next ▶" }).click();
  await expect(narration).toContainText(
    /copy-on-write: page 0x403 copied from shared frame \d+ to frame \d+/,
  );
  const copy = Number((await narration.textContent())!.match(/to frame (\d+)/)![1]);
  const box = (await map.boundingBox())!;
  const pitch = (box.width + 2) / 16; // 32 frames: 16 a row, 2 px gaps
  await map.click({
    position: { x: (copy % 16) * pitch + pitch / 3, y: Math.floor(copy / 16) * pitch + pitch / 3 },
  });
  await expect(page.getByTestId("frame-owners")).toContainText(`Frame ${copy}`);
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
  // Step until the next step is the MMU's first fault: the lab then asks instead of telling.
  await page.getByRole("heading", { name: "Physical memory" }).click(); // keys go to the stepper again
  const question = page.getByRole("group", { name: "Predict the next step" });
  const position = page.getByTestId("position");
  for (let i = 0; i < 40 && !(await question.isVisible()); i++) {
    const before = await position.textContent();
    await page.keyboard.press("ArrowRight");
    await expect(position).not.toHaveText(before!);
  }
  const at = Number((await position.textContent())!.match(/^step (\d+)/)![1]);
  await expect(question).toContainText("A reads at 0x400000 and the MMU raises a page fault");
  await question.getByLabel("major").check();
  await question.getByRole("button", { name: "Check" }).click();
  await expect(page.getByTestId("position")).toHaveText(new RegExp(`^step ${at + 1} /`));
  await expect(page.locator(".grade.right")).toContainText("Right. A: major fault on read of 0x400000");
});
