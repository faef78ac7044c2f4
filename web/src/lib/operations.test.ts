import { describe, expect, it } from "vitest";
import type { OperationSpec } from "../api/types";
import { checkValue, move, newStep, toOperations } from "./operations";

const median: OperationSpec = {
  name: "median",
  operationName: "中值滤波",
  description: "median filter",
  value1: { meaning: "window width", type: "integer", min: 1, max: 31, default: null, odd: true },
  value2: { meaning: "window height", type: "integer", min: 1, max: 31, default: null, default_note: "same as value1" },
};

describe("a preprocessing step", () => {
  it("starts from the default, the smallest odd value, or nothing when derived", () => {
    const step = newStep(median);
    expect(step).toMatchObject({ operationName: "中值滤波", overlap: true, value1: 1, value2: null });
  });

  it("checks type, range and oddness", () => {
    const width = median.value1!;
    expect(checkValue(width, 5)).toBeNull();
    expect(checkValue(width, 4)).toBe("Enter an odd number.");
    expect(checkValue(width, 2.5)).toBe("Enter a whole number.");
    expect(checkValue(width, 99)).toBe("Enter a value from 1 to 31.");
    expect(checkValue(width, null)).toBe("Enter a value.");
    expect(checkValue(median.value2!, null)).toBeNull();
  });

  it("moves steps and drops list keys for the API", () => {
    expect(move(["a", "b", "c"], 2, 0)).toEqual(["c", "a", "b"]);
    expect(move(["a", "b"], 0, 5)).toEqual(["a", "b"]);
    expect(toOperations([{ ...newStep(median), value1: 5 }])).toEqual([{ operationName: "中值滤波", overlap: true, value1: 5, value2: null }]);
  });
});
