// The preprocessing pipeline's logic: a step's starting values from the operation's
// parameter specs, checking a value against its range, and reordering steps.

import type { OperationSpec, OperationStep, PreprocessParam } from "../api/types";

export interface Step extends OperationStep {
  /** Stable identity for the list while steps move. */
  key: number;
}

let nextKey = 1;

function start(param: PreprocessParam | null): number | null {
  if (!param) return null;
  if (param.default !== null) return param.default;
  if (param.default_note) return null; // derived from the other value
  return param.odd && param.min % 2 === 0 ? param.min + 1 : param.min;
}

export function newStep(spec: OperationSpec): Step {
  return {
    key: nextKey++,
    operationName: spec.operationName,
    overlap: true,
    value1: start(spec.value1),
    value2: start(spec.value2),
  };
}

/** Why a value does not fit its parameter, or null when it does. */
export function checkValue(param: PreprocessParam, value: number | null): string | null {
  if (value === null) return param.default === null && !param.default_note ? "Enter a value." : null;
  if (param.type === "integer" && !Number.isInteger(value)) return "Enter a whole number.";
  if (value < param.min || value > param.max) return `Enter a value from ${param.min} to ${param.max}.`;
  if (param.odd && value % 2 === 0) return "Enter an odd number.";
  return null;
}

export function move<T>(items: T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length || from === to) return items;
  const copy = items.slice();
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item as T);
  return copy;
}

/** What the API takes: the steps without their list keys. */
export function toOperations(steps: Step[]): OperationStep[] {
  return steps.map(({ operationName, overlap, value1, value2 }) => ({ operationName, overlap, value1, value2 }));
}
