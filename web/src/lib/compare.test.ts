import { describe, expect, it } from "vitest";
import { alignCurves, cell, visibleRows } from "./compare";

describe("the comparison", () => {
  it("shows only the differing rows when asked", () => {
    const fields = [
      { field: "iter", values: [100, 200], differs: true },
      { field: "ratio", values: [0.8, 0.8], differs: false },
    ];
    expect(visibleRows(fields, true).map((f) => f.field)).toEqual(["iter"]);
    expect(visibleRows(fields, false)).toHaveLength(2);
  });

  it("aligns curves on the union of their steps", () => {
    const a = [{ step: 0, accuracy: 0.1, loss: 2, duration: 0 }, { step: 100, accuracy: 0.5, loss: 1, duration: 1 }];
    const b = [{ step: 0, accuracy: 0.2, loss: 2, duration: 0 }, { step: 50, accuracy: 0.4, loss: 1.5, duration: 1 }];
    expect(alignCurves([a, b], "accuracy")).toEqual([[0, 50, 100], [0.1, null, 0.5], [0.2, 0.4, null]]);
  });

  it("prints values as a table cell", () => {
    expect(cell([2, 2, 10])).toBe("2 × 2 × 10");
    expect(cell(null)).toBe("—");
  });
});
