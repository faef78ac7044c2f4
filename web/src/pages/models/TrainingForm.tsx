import type { ApiError, ModelConfig, ModelDetail, Registry } from "../../api";
import type { FormValues } from "../../lib/layers";
import { ParamInput } from "./ParamInput";

/** Values to start from when a model has no configuration yet. */
const STARTING: Record<string, string> = {
  iter: "1000",
  learning_rate: "0.01",
  ratio: "0.8",
  loss_name: "entropy",
  optimizer_name: "AdamOptimizer",
};

export function trainingFromConfig(registry: Registry, model: ModelDetail): FormValues {
  const values: FormValues = {};
  for (const spec of registry.training) {
    const saved = model.config?.[spec.name];
    const fallback = spec.name === "net_type" ? (model.data?.kind === "csv" ? "DNN" : "CNN") : STARTING[spec.name];
    values[spec.name] = saved !== undefined && saved !== null ? String(saved) : spec.default !== null && spec.default !== undefined ? String(spec.default) : (fallback ?? "");
  }
  return values;
}

export function trainingToConfig(registry: Registry, values: FormValues): Omit<ModelConfig, "net_config"> {
  const config: Record<string, unknown> = {};
  for (const spec of registry.training) {
    const text = values[spec.name] ?? "";
    if (text === "" && !spec.required) continue;
    config[spec.name] = spec.type === "int" || spec.type === "float" ? (text.trim() === "" || Number.isNaN(Number(text)) ? text : Number(text)) : text;
  }
  return config as Omit<ModelConfig, "net_config">;
}

export function TrainingForm({ registry, values, onValues, errors }: { registry: Registry; values: FormValues; onValues: (v: FormValues) => void; errors: ApiError | null }) {
  return (
    <div class="param-grid">
      {registry.training.map((spec) => (
        <ParamInput key={spec.name} spec={spec} values={values} onValues={onValues} errors={errors?.field(spec.name)} />
      ))}
    </div>
  );
}
