import { describe, expect, it } from "vitest";
import type { LayerOption } from "../api/types";
import { buildLayer, describeLayer, errorsByLayer, initialValues, rangeHint } from "./layers";

// As /generation/options/next/ sends them for an 8x8 picture.
const conv: LayerOption = {
  kind: "conv",
  meaning: "2-D convolution",
  accepts: ["image"],
  params: [
    {
      name: "filter",
      type: "int_list",
      required: true,
      default: null,
      meaning: "[height, width, out_channels]",
      items: [
        { name: "height", type: "int", min: 1, max: 8, required: true, default: null, meaning: "window height" },
        { name: "width", type: "int", min: 1, max: 8, required: true, default: null, meaning: "window width" },
        { name: "out_channels", type: "int", min: 1, required: true, default: null, meaning: "output channels" },
      ],
    },
    { name: "stride", type: "int", min: 1, required: false, default: 1, meaning: "step" },
    { name: "padding", type: "choice", choices: ["same", "valid"], required: false, default: "same", meaning: "padding" },
    { name: "activation", type: "choice", choices: ["relu", "tanh"], required: false, default: null, meaning: "optional" },
  ],
};

describe("the layer form", () => {
  it("starts from defaults, and from the smallest value where one is required", () => {
    expect(initialValues(conv)).toEqual({
      "filter.height": "1",
      "filter.width": "1",
      "filter.out_channels": "1",
      stride: "1",
      padding: "same",
      activation: "",
    });
  });

  it("writes only what differs from the defaults", () => {
    const values = { ...initialValues(conv), "filter.height": "2", "filter.width": "2", "filter.out_channels": "10" };
    expect(buildLayer(conv, values)).toEqual({ layer: "conv", filter: [2, 2, 10] });
    expect(buildLayer(conv, { ...values, padding: "valid", activation: "relu" })).toEqual({
      layer: "conv",
      filter: [2, 2, 10],
      padding: "valid",
      activation: "relu",
    });
  });

  it("reads an existing layer back into the form", () => {
    expect(initialValues(conv, { layer: "conv", filter: [3, 3, 20], stride: 2 })).toMatchObject({
      "filter.height": "3",
      "filter.out_channels": "20",
      stride: "2",
    });
  });

  it("describes a layer and a range", () => {
    expect(describeLayer({ layer: "conv", filter: [2, 2, 10] })).toBe("filter 2×2×10");
    expect(rangeHint(conv.params[0]!.items![0]!)).toBe("1 to 8");
    expect(rangeHint({ name: "lr", type: "float", min: 0, min_exclusive: true, required: true, default: null, meaning: "" })).toBe("more than 0");
  });
});

describe("errors on their layer", () => {
  it("places options/next and save errors on the layer they name", () => {
    const { layers, other } = errorsByLayer({
      "layers[2]": ["The pool window 16 is larger than the input 8x8."],
      "net_config.middle_layer[0].filter": ["Enter three integers."],
      iter: ["Ensure this value is at least 1."],
    });
    expect(layers.get(2)).toEqual(["The pool window 16 is larger than the input 8x8."]);
    expect(layers.get(0)).toEqual(["filter: Enter three integers."]);
    expect(other).toEqual(["iter: Ensure this value is at least 1."]);
  });
});
