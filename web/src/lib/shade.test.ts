import { describe, expect, it } from "vitest";
import { contrast, shade } from "./shade";

describe("confusion-matrix shades", () => {
  it("keep every count readable (WCAG 4.5:1) whatever its share of the row", () => {
    for (let i = 0; i <= 1000; i++) {
      const { background, text } = shade(i / 1000);
      expect(contrast(background, text), `share ${i / 1000}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("darken with the share, light at nothing and the full accent at all of it", () => {
    expect(shade(0).background).toBe("rgb(242, 244, 252)");
    expect(shade(1).background).toBe("rgb(31, 79, 209)");
    expect(shade(1).text).toBe("#ffffff");
    expect(shade(0.2).text).toBe("#1b2233");
  });

  it("measures contrast as WCAG does", () => {
    expect(contrast("#ffffff", "#000000")).toBeCloseTo(21, 5);
    expect(contrast("rgb(255, 255, 255)", "#ffffff")).toBeCloseTo(1, 5);
  });
});
