import { describe, expect, it } from "vitest";
import { placementText } from "./placement";

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
