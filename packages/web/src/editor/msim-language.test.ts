import { describe, expect, it } from "vitest";
import { msimWordClass } from "./msim-language.js";

describe(".msim highlighting", () => {
  it("tells commands from process names, and verbs, numbers, addresses, operators apart", () => {
    expect(msimWordClass("spawn", 0, false)).toBe("keyword");
    expect(msimWordClass("A", 0, true)).toBe("variableName");
    expect(msimWordClass("write", 1, true)).toBe("atom");
    expect(msimWordClass("64k", 3, true)).toBe("number");
    expect(msimWordClass("+64k", 2, true)).toBe("number");
    expect(msimWordClass("0x7000000000", 2, true)).toBe("number");
    expect(msimWordClass("heap+0", 2, true)).toBe("string");
    expect(msimWordClass("==", 2, false)).toBe("operator");
    expect(msimWordClass("frames=64", 1, false)).toBe("propertyName");
    expect(msimWordClass("libc", 1, false)).toBe(null);
  });
});
