import { beforeEach, describe, expect, it, vi } from "vitest";

const setFlags = vi.fn();
vi.mock("node:v8", () => ({ default: { setFlagsFromString: setFlags } }));

describe("tuneJit", () => {
  beforeEach(() => {
    vi.resetModules();
    setFlags.mockClear();
  });

  it("raises V8's inlining budget once per process", async () => {
    const { JIT_FLAGS, tuneJit } = await import("./jit.js");
    tuneJit();
    tuneJit();
    expect(setFlags.mock.calls.map((c) => c[0])).toEqual(JIT_FLAGS);
    expect(JIT_FLAGS).toContain("--max-inlined-bytecode-size-cumulative=4000");
  });

  it("is applied by the memsim command before it runs anything", async () => {
    const { main } = await import("./main.js");
    const { memoryIo } = await import("./io.js");
    expect(await main(["--version"], memoryIo())).toBe(0);
    expect(setFlags).toHaveBeenCalledWith("--max-inlined-bytecode-size-cumulative=4000");
    expect(setFlags).toHaveBeenCalledWith("--max-inlined-bytecode-size=1000");
  });
});
