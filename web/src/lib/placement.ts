import type { Placement } from "../api";

/** Where a run is, in a few words: "local executor: training",
 * "kubernetes executor: pending (Job netsmith-run-7: ContainerCreating)",
 * "kubernetes executor: training on node-2, pod netsmith-run-7-x2k4q". */
export function placementText(p: Placement): string {
  const where = p.node ? ` on ${p.node}${p.pod ? `, pod ${p.pod}` : ""}` : "";
  const detail = p.detail && !p.node ? ` (${p.detail})` : "";
  return `${p.executor} executor: ${p.phase}${where}${detail}`;
}

/** What trains a run: "built-in engine", "PyTorch, 2 workers, cuda". */
export function engineText(run: { engine: string; workers: number; device: string }): string {
  if (run.engine !== "pytorch") return "built-in engine";
  const workers = run.workers === 1 ? "1 worker" : `${run.workers} workers`;
  return `PyTorch, ${workers}, ${run.device}`;
}
