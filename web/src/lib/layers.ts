// The network designer's logic: a layer kind's parameter form (from the options the
// API sends), the layer written from it, and the API's errors placed on their layer.

import type { LayerConfig, LayerOption, ParamSpec } from "../api/types";

/** One form value per parameter; an int_list is one value per item. */
export type FormValues = Record<string, string>;

function initial(spec: ParamSpec): string {
  if (spec.default !== null && spec.default !== undefined) return String(spec.default);
  if (spec.required && spec.type === "choice") return spec.choices?.[0] ?? "";
  if (spec.required && spec.min !== undefined) return String(spec.min);
  return "";
}

/** The form's starting values: defaults, else (for required values) the smallest. */
export function initialValues(option: LayerOption, layer?: LayerConfig): FormValues {
  const values: FormValues = {};
  for (const spec of option.params) {
    const current = layer?.[spec.name];
    if (spec.type === "int_list") {
      (spec.items ?? []).forEach((item, i) => {
        const given = Array.isArray(current) ? current[i] : undefined;
        values[`${spec.name}.${item.name}`] = given !== undefined ? String(given) : initial(item);
      });
    } else {
      values[spec.name] = current !== undefined && current !== null ? String(current) : initial(spec);
    }
  }
  return values;
}

function parseValue(spec: ParamSpec, text: string): unknown {
  if (spec.type === "int" || spec.type === "float") {
    const n = Number(text);
    return text.trim() === "" || Number.isNaN(n) ? text : n;
  }
  return text;
}

/**
 * The layer as the API takes it: required values always, optional ones only where
 * they differ from the default (so a default pool is just `{"layer": "pool"}`).
 */
export function buildLayer(option: LayerOption, values: FormValues): LayerConfig {
  const layer: LayerConfig = { layer: option.kind };
  for (const spec of option.params) {
    if (spec.type === "int_list") {
      layer[spec.name] = (spec.items ?? []).map((item) => parseValue(item, values[`${spec.name}.${item.name}`] ?? ""));
      continue;
    }
    const text = values[spec.name] ?? "";
    if (text === "" && !spec.required) continue;
    const value = parseValue(spec, text);
    if (!spec.required && value === spec.default) continue;
    layer[spec.name] = value;
  }
  return layer;
}

/** "filter 2×2×10, stride 2": the parameters a layer sets, for its row. */
export function describeLayer(layer: LayerConfig): string {
  return Object.entries(layer)
    .filter(([key]) => key !== "layer")
    .map(([key, value]) => `${key} ${Array.isArray(value) ? value.join("×") : String(value)}`)
    .join(", ");
}

/** A parameter's range as a hint: "1 to 8", "more than 0", "one of max, avg". */
export function rangeHint(spec: ParamSpec): string {
  if (spec.type === "choice") return "";
  const { min, max } = spec;
  const low = min === undefined ? "" : spec.min_exclusive ? `more than ${min}` : `at least ${min}`;
  const high = max === undefined ? "" : spec.max_exclusive ? `less than ${max}` : `at most ${max}`;
  if (min !== undefined && max !== undefined && !spec.min_exclusive && !spec.max_exclusive) return `${min} to ${max}`;
  return [low, high].filter(Boolean).join(", ");
}

const LAYER_KEY = /^(?:layers|net_config\.middle_layer)\[(\d+)\]/;

/**
 * The API names a bad layer `layers[i]` (options/next) or `net_config.middle_layer[i]`
 * (saving), possibly with the parameter after it; those go on layer i.
 */
export function errorsByLayer(fields: Record<string, string[]>): { layers: Map<number, string[]>; other: string[] } {
  const layers = new Map<number, string[]>();
  const other: string[] = [];
  for (const [key, messages] of Object.entries(fields)) {
    const found = LAYER_KEY.exec(key);
    if (found) {
      const index = Number(found[1]);
      const rest = key.slice(found[0].length).replace(/^\./, "");
      layers.set(index, [...(layers.get(index) ?? []), ...messages.map((m) => (rest ? `${rest}: ${m}` : m))]);
    } else other.push(...messages.map((m) => (key === "detail" || key === "non_field_errors" ? m : `${key}: ${m}`)));
  }
  return { layers, other };
}

/** The classic example network of the original service, for 8x8 or 28x28 pictures. */
export const DEFAULT_CNN: LayerConfig[] = [
  { layer: "conv", filter: [2, 2, 10] },
  { layer: "conv", filter: [2, 2, 20] },
  { layer: "pool" },
  { layer: "norm" },
  { layer: "active" },
  { layer: "connect" },
  { layer: "connect" },
];
