// Compare page: which configuration rows to show, and curves aligned on one step axis.

import type { CompareField, MetricPoint } from "../api/types";

export function visibleRows(fields: CompareField[], onlyDifferences: boolean): CompareField[] {
  return onlyDifferences ? fields.filter((f) => f.differs) : fields;
}

export function cell(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.join(" × ");
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/**
 * uPlot wants one x array shared by every series: the union of all steps, with null
 * where a model has no point at that step.
 */
export function alignCurves(curves: MetricPoint[][], metric: "accuracy" | "loss"): [number[], ...(number | null)[][]] {
  const steps = [...new Set(curves.flatMap((c) => c.map((p) => p.step)))].sort((a, b) => a - b);
  const series = curves.map((curve) => {
    const byStep = new Map(curve.map((p) => [p.step, p[metric]]));
    return steps.map((s) => byStep.get(s) ?? null);
  });
  return [steps, ...series];
}
