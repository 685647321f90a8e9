import { encodeLink } from "../src/lab/permalink.js";
import { expect, test } from "./fixtures.js";

test("a permalink reopens the replacement lab with its settings", async ({ page }) => {
  const hash = await encodeLink({
    view: "replacement",
    refs: "1 2 3 1 4 1 2",
    policies: ["opt", "fifo"],
    frames: 2,
  });
  await page.goto(`./${hash}`);
  await expect(page.getByRole("tab", { name: "Replacement lab" })).toHaveAttribute("aria-selected", "true");
  const summary = page.getByRole("table", { name: "policy summary" });
  await expect(summary.locator('tr[data-policy="opt"] .misses')).toHaveText("5");
  await expect(summary.locator('tr[data-policy="fifo"] .misses')).toHaveText("6");
  await expect(page.locator("textarea")).toHaveValue("1 2 3 1 4 1 2");
});

test("a permalink reopens a scenario at its step, and the lab makes such links", async ({ page }) => {
  const scenario =
    "config frames=16 format=x86-32 tlb=4\nspawn P text=4k stack=8k\nP read text+0 4\nP write stack-8 8\n";
  await page.goto(`./${await encodeLink({ view: "machine", scenario, step: 5 })}`);
  await expect(page.getByTestId("position")).toHaveText(/^step 5 \/ \d+$/);
  await expect(page.getByTestId("narration")).toContainText("Step 5:");
  await expect(page.getByTestId("maps")).toContainText("[stack]");

  await page.keyboard.press("ArrowRight");
  await page.getByRole("button", { name: "Permalink" }).click();
  await expect(page.getByTestId("narration")).toContainText("permalink");
  const link = page.url();
  expect(link).toMatch(/#v1\.[A-Za-z0-9_-]+$/);
  await page.goto("about:blank");
  await page.goto(link);
  await expect(page.getByTestId("position")).toHaveText(/^step 6 \//);
});

test("a damaged permalink is explained, not thrown", async ({ page }) => {
  await page.goto("./#v1.not-a-valid-link");
  await expect(page.getByRole("alert")).toContainText("link:");
  await expect(page.getByTestId("position")).toHaveText(/^step 0 \//);
});
