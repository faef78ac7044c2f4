import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiError, models, type LayerConfig, type LayerOption, type ModelConfig, type ModelDetail, type NextOptions, type Registry } from "../../api";
import { Button, FieldErrors, FormErrors, Notice, SelectField } from "../../components/forms";
import { Loading } from "../../components/status";
import { asApiError } from "../../components/useAsync";
import { count, shape } from "../../lib/format";
import { buildLayer, describeLayer, errorsByLayer, initialValues, type FormValues } from "../../lib/layers";
import { ParamInput } from "./ParamInput";
import { TrainingForm, trainingFromConfig, trainingToConfig } from "./TrainingForm";

/**
 * The network designer: layers one at a time, where "add" offers only what
 * /generation/options/next/ allows after the layers so far, each layer with its
 * output shape, parameters and FLOPs, and the API's errors on the layer they name.
 */
export function Designer({ model, registry, dataId, onSaved }: { model: ModelDetail; registry: Registry; dataId: number | null; onSaved: (m: ModelDetail) => void }) {
  const [layers, setLayers] = useState<LayerConfig[]>(model.config?.net_config.middle_layer ?? []);
  const [training, setTraining] = useState<FormValues>(() => trainingFromConfig(registry, model));
  // The last good answer of options/next, with the layers it was asked about.
  const [next, setNext] = useState<NextOptions | null>(null);
  const [nextLayers, setNextLayers] = useState<LayerConfig[]>([]);
  const [nextError, setNextError] = useState<ApiError | null>(null);
  // Which layers `next`/`nextError` answer: until they match, shapes are being checked.
  const [checkedFor, setCheckedFor] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const netType = training.net_type || "CNN";

  const asked = JSON.stringify([layers, netType]);
  const checking = checkedFor !== asked;
  useEffect(() => {
    let live = true;
    models.next(model.name, layers, netType).then(
      (n) => {
        if (!live) return;
        setNext(n);
        setNextLayers(layers);
        setNextError(null);
        setCheckedFor(asked);
      },
      (e) => {
        if (!live) return;
        setNextError(asApiError(e));
        setCheckedFor(asked);
      },
    );
    return () => {
      live = false;
    };
  }, [model.name, asked]);

  useEffect(() => setSaved(false), [layers, training]);

  const errors = useMemo(() => {
    const fields = { ...(nextError?.fields ?? {}), ...(saveError?.fields ?? {}) };
    return errorsByLayer(fields);
  }, [nextError, saveError]);
  const trainingNames = registry.training.map((p) => p.name);
  const otherErrors = errors.other.filter((m) => !trainingNames.some((n) => m.startsWith(`${n}: `)));
  const shapes = nextError ? null : next;
  // A layer's shape from the last good answer, while it and every layer before it are unchanged.
  const viewOf = (i: number) =>
    next && i < next.layers.length && JSON.stringify(nextLayers.slice(0, i + 1)) === JSON.stringify(layers.slice(0, i + 1)) ? next.layers[i] : undefined;
  const totals = shapes?.layers.reduce((t, l) => ({ params: t.params + l.params, flops: t.flops + l.flops }), { params: 0, flops: 0 });

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    try {
      const config = { ...trainingToConfig(registry, training), net_config: { middle_layer: layers, output_layer: {} } } as ModelConfig;
      const detail = await models.saveConfig(model.name, config, dataId);
      onSaved(detail);
      setSaved(true);
    } catch (e) {
      setSaveError(asApiError(e));
    }
    setSaving(false);
  };

  return (
    <div class="designer">
      <section class="card" aria-labelledby="training-title">
        <h2 id="training-title">Training</h2>
        <TrainingForm registry={registry} values={training} onValues={setTraining} errors={saveError} />
      </section>
      <section class="card" aria-labelledby="layers-title">
        <div class="card-head">
          <h2 id="layers-title">Layers</h2>
          <span class="muted" aria-live="polite">
            {checking ? "Checking shapes…" : shapes ? `input ${shape(shapes.input_shape)} → ${shape(shapes.current_shape)}` : ""}
          </span>
        </div>
        <table class="table layers">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Layer</th>
              <th scope="col">Settings</th>
              <th scope="col">Output shape</th>
              <th scope="col" class="num">Parameters</th>
              <th scope="col" class="num">FLOPs</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <tr class="muted">
              <td />
              <td>input</td>
              <td />
              <td>{next ? shape(next.input_shape) : model.data ? shape(model.data.input_shape) : "–"}</td>
              <td class="num" />
              <td class="num" />
              <td />
            </tr>
            {layers.map((layer, i) => {
              const view = viewOf(i);
              const layerErrors = errors.layers.get(i);
              return (
                <tr key={i} class={layerErrors ? "error-row" : undefined} data-layer={i}>
                  <td>{i + 1}</td>
                  <td>
                    <strong>{layer.layer}</strong>
                  </td>
                  <td>
                    {describeLayer(layer) || <span class="muted">defaults</span>}
                    <FieldErrors messages={layerErrors} />
                  </td>
                  <td class="shape">{view ? shape(view.output_shape) : "–"}</td>
                  <td class="num">{view ? count(view.params) : "–"}</td>
                  <td class="num">{view ? count(view.flops, true) : "–"}</td>
                  <td class="row-actions">
                    <button type="button" class="icon-btn" aria-label={`Edit layer ${i + 1} (${layer.layer})`} onClick={() => setEditing(editing === i ? null : i)}>
                      ✎
                    </button>
                    <button
                      type="button"
                      class="icon-btn"
                      aria-label={`Remove layer ${i + 1} (${layer.layer})`}
                      onClick={() => {
                        setLayers(layers.filter((_, j) => j !== i));
                        setEditing(null);
                        setSaveError(null);
                      }}
                    >
                      ✕
                    </button>
                  </td>
                </tr>
              );
            })}
            <tr class="muted">
              <td />
              <td>output</td>
              <td>sized from the data's classes</td>
              <td>{model.data ? `${model.data.classes.length}` : "–"}</td>
              <td class="num" />
              <td class="num" />
              <td />
            </tr>
          </tbody>
          {totals && (
            <tfoot>
              <tr>
                <th scope="row" colSpan={4}>
                  Middle layers
                </th>
                <td class="num">{count(totals.params)}</td>
                <td class="num">{count(totals.flops, true)}</td>
                <td />
              </tr>
              {model.summary && !saveError && (
                <tr>
                  <th scope="row" colSpan={4}>
                    Whole network as saved (with the output layer)
                  </th>
                  <td class="num">{count(model.summary.total_params)}</td>
                  <td class="num">{count(model.summary.total_flops, true)}</td>
                  <td />
                </tr>
              )}
            </tfoot>
          )}
        </table>
        <FormErrors messages={otherErrors} />
        {editing !== null && layers[editing] && (
          <EditLayer
            key={editing}
            layer={layers[editing]!}
            option={registry.layers.find((o) => o.kind === layers[editing]!.layer)}
            onDone={(layer) => {
              if (layer) setLayers(layers.map((l, j) => (j === editing ? layer : l)));
              setEditing(null);
            }}
          />
        )}
        {nextError ? (
          <p class="hint">Fix the marked layer to add more.</p>
        ) : next ? (
          <AddLayer options={next.options} disabled={checking} onAdd={(layer) => setLayers([...layers, layer])} />
        ) : (
          <Loading label="Working out what may come next…" />
        )}
      </section>
      <div class="actions">
        <Button busy={saving} busyLabel="Saving…" onClick={save}>
          Save the network
        </Button>
        {saved && <Notice kind="success">Saved: the network fits the data.</Notice>}
        {saveError && !saved && <span class="field-errors">Not saved: see the marked fields.</span>}
      </div>
    </div>
  );
}

function AddLayer({ options, disabled, onAdd }: { options: LayerOption[]; disabled: boolean; onAdd: (layer: LayerConfig) => void }) {
  // The kind and its form change together, so a new answer of options/next never
  // pairs one kind with another's values.
  const [form, setForm] = useState<{ kind: string; values: FormValues }>(() => ({
    kind: options[0]?.kind ?? "",
    values: options[0] ? initialValues(options[0]) : {},
  }));
  // When the options change (after each layer), keep the chosen kind and its values if
  // that kind is still allowed; reading the latest state, not this render's.
  useEffect(() => {
    setForm((f) => {
      if (options.some((o) => o.kind === f.kind)) return f;
      const first = options[0];
      return first ? { kind: first.kind, values: initialValues(first) } : f;
    });
  }, [JSON.stringify(options)]);
  const option = options.find((o) => o.kind === form.kind) ?? options[0];
  if (!options.length) return <p class="hint">Nothing more may follow here (a logistic network has no middle layers).</p>;
  return (
    <form
      class="add-layer"
      aria-label="Add a layer"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!option) return;
        onAdd(buildLayer(option, option.kind === form.kind ? form.values : initialValues(option)));
        // The next layer of this kind starts from the defaults again.
        setForm({ kind: option.kind, values: initialValues(option) });
      }}
    >
      <h3>Add a layer</h3>
      <SelectField
        label="Layer kind"
        name="layer-kind"
        value={option?.kind ?? ""}
        onValue={(k) => {
          const o = options.find((x) => x.kind === k);
          if (o) setForm({ kind: o.kind, values: initialValues(o) });
        }}
        options={options.map((o) => ({ value: o.kind, label: `${o.kind}: ${o.meaning}` }))}
      />
      <div class="param-grid">
        {option?.params.map((p) => (
          <ParamInput key={`${option.kind}.${p.name}`} spec={p} values={form.values} onValues={(values) => setForm({ kind: option.kind, values })} />
        ))}
      </div>
      <Button type="submit" variant="secondary" disabled={disabled}>
        Add {option?.kind}
      </Button>
    </form>
  );
}

function EditLayer({ layer, option, onDone }: { layer: LayerConfig; option: LayerOption | undefined; onDone: (layer: LayerConfig | null) => void }) {
  const [values, setValues] = useState<FormValues>(() => (option ? initialValues(option, layer) : {}));
  if (!option) return null;
  return (
    <form
      class="add-layer"
      aria-label={`Edit the ${layer.layer} layer`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onDone(buildLayer(option, values));
      }}
    >
      <h3>Edit {layer.layer}</h3>
      <div class="param-grid">
        {option.params.map((p) => (
          <ParamInput key={p.name} spec={p} values={values} onValues={setValues} />
        ))}
      </div>
      <div class="actions">
        <Button type="submit" variant="secondary">
          Apply
        </Button>
        <Button variant="ghost" onClick={() => onDone(null)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
