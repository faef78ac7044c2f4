import { describe, expect, it } from "vitest";
import { engineText, placementText } from "./placement";

describe("placementText", () => {
  it("names the executor and phase of a local run", () => {
    expect(placementText({ executor: "local", phase: "training", detail: null, pod: null, node: null })).toBe(
      "local executor: training",
    );
  });

  it("says why a cluster run waits", () => {
    const pending = { executor: "kubernetes", phase: "pending", detail: "Job netsmith-run-7: ContainerCreating", pod: null, node: null };
    expect(placementText(pending)).toBe("kubernetes executor: pending (Job netsmith-run-7: ContainerCreating)");
  });

  it("shows the node and pod a cluster run trains on", () => {
    const training = { executor: "kubernetes", phase: "training", detail: "Job netsmith-run-7", pod: "netsmith-run-7-x2k4q", node: "node-2" };
    expect(placementText(training)).toBe("kubernetes executor: training on node-2, pod netsmith-run-7-x2k4q");
  });
});

describe("engineText", () => {
  it("names the built-in engine alone", () => {
    expect(engineText({ engine: "builtin", workers: 1, device: "cpu" })).toBe("built-in engine");
  });

  it("gives PyTorch's workers and device", () => {
    expect(engineText({ engine: "pytorch", workers: 2, device: "cuda" })).toBe("PyTorch, 2 workers, cuda");
    expect(engineText({ engine: "pytorch", workers: 1, device: "cpu" })).toBe("PyTorch, 1 worker, cpu");
  });
});
