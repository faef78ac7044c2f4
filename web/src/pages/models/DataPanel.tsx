import { useState } from "preact/hooks";
import { ApiError, data, models, type ModelDetail } from "../../api";
import { Button, FieldErrors, FormErrors, Notice, SelectField } from "../../components/forms";
import { asApiError, useAsync } from "../../components/useAsync";
import { count, shape } from "../../lib/format";

/** The model's data (what the network sees), the upload to use, and its labels. */
export function DataPanel({ model, dataId, onDataId, onLabels }: { model: ModelDetail; dataId: number | null; onDataId: (id: number | null) => void; onLabels: () => void }) {
  const uploads = useAsync(() => data.list(), []);
  const usable = (uploads.value ?? []).filter((u) => u.file_type === "picture" || u.file_type === "doc");
  const spec = model.data;
  return (
    <div class="stack">
      {spec ? (
        <dl class="facts">
          <div>
            <dt>Kind</dt>
            <dd>{spec.kind === "images" ? "pictures" : "CSV rows"}</dd>
          </div>
          <div>
            <dt>Input</dt>
            <dd>{shape(spec.input_shape)}</dd>
          </div>
          <div>
            <dt>Samples</dt>
            <dd>{count(spec.samples)}</dd>
          </div>
          <div>
            <dt>Classes</dt>
            <dd>
              {spec.classes.length}: {spec.classes.slice(0, 12).join(", ")}
              {spec.classes.length > 12 ? "…" : ""}
            </dd>
          </div>
          <div>
            <dt>Labels</dt>
            <dd>{model.labels ? `${count(model.labels)} from a labels file` : "from the folders"}</dd>
          </div>
        </dl>
      ) : (
        <p class="empty">No data attached yet.</p>
      )}
      <SelectField
        label="Upload it trains on"
        value={dataId ? String(dataId) : ""}
        onValue={(v) => onDataId(v ? Number(v) : null)}
        hint={dataId !== model.data_id ? "Takes effect when you save the network (labels are dropped when the data changes)." : undefined}
        options={[{ value: "", label: "None" }, ...usable.map((u) => ({ value: String(u.id), label: `${u.file_name} (#${u.id})` }))]}
      />
      <LabelsUpload modelName={model.name} onDone={onLabels} />
    </div>
  );
}

function LabelsUpload({ modelName, onDone }: { modelName: string; onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [stored, setStored] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      setStored((await models.uploadLabels(modelName, file)).labels);
      onDone();
    } catch (err) {
      setError(asApiError(err));
    }
    setBusy(false);
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Labels">
      <div class="field">
        <label for="labels-file">Labels file (JSON: a file's path in the data → its label)</label>
        <input id="labels-file" type="file" accept=".json,application/json" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)} />
        <FieldErrors messages={error ? [...error.field("file"), ...error.field("modelName")] : undefined} />
      </div>
      <FormErrors messages={error ? error.others(["file", "modelName"]) : []} />
      {stored !== null && <Notice kind="success">{stored} labels stored.</Notice>}
      <Button type="submit" variant="secondary" busy={busy} disabled={!file}>
        Upload labels
      </Button>
    </form>
  );
}
