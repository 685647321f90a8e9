import { afterEach, describe, expect, it, vi } from "vitest";
import { type Io, memoryIo } from "./io.js";
import { createProgress } from "./progress.js";

function ttyIo(): Io & { stderr(): string } {
  const io = memoryIo();
  return { ...io, errIsTty: true };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("progress bar", () => {
  it("draws on a terminal only after a second, and clears at the end", () => {
    let now = 0;
    vi.spyOn(performance, "now").mockImplementation(() => now);
    const io = ttyIo();
    const p = createProgress(io, "replace", false);
    p.update(10, 100);
    expect(io.stderr()).toBe("");
    now = 1500;
    p.update(50, 100);
    expect(io.stderr()).toContain("replace [###############...............]  50%");
    p.finish();
    expect(io.stderr().endsWith("\r\x1b[2K")).toBe(true);
  });
  it("stays silent with --quiet or when stderr is not a terminal", () => {
    let now = 0;
    vi.spyOn(performance, "now").mockImplementation(() => now);
    const quiet = ttyIo();
    const q = createProgress(quiet, "mrc", true);
    const plain = memoryIo();
    const r = createProgress(plain, "mrc", false);
    now = 5000;
    q.update(1, 2);
    r.update(1, 2);
    q.finish();
    r.finish();
    expect(quiet.stderr()).toBe("");
    expect(plain.stderr()).toBe("");
  });
});
