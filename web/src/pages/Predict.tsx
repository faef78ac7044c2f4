import { useState } from "preact/hooks";
import { ApiError, models, type PredictBody } from "../api";
import { useObjectUrl } from "../components/Blob";
import { Button, FormErrors, SelectField, TextField } from "../components/forms";
import { PageHeader } from "../components/Layout";
import { ProbabilityBars } from "../components/ProbabilityBars";
import { Loading } from "../components/status";
import { asApiError, useAsync } from "../components/useAsync";
import { navigate } from "../router";

export function Predict({ query }: { query: URLSearchParams }) {
  const list = useAsync(() => models.list(), []);
  const trained = (list.value ?? []).filter((m) => m.best_accuracy !== null);
  const chosen = Number(query.get("model")) || trained[0]?.id || 0;
  const detail = useAsync(() => (chosen ? models.detail(chosen) : Promise.resolve(null)), [chosen]);
  return (
    <>
      <PageHeader title="Predict" />
      <div class="grid sidebar-right">
        <section class="card" aria-labelledby="input-title">
          <h2 id="input-title">Input</h2>
          {list.loading && <Loading />}
          {list.value && trained.length === 0 && <p class="empty">No model has finished training yet.</p>}
          {trained.length > 0 && (
            <SelectField label="Model" value={String(chosen)} onValue={(v) => navigate(`/app/predict/?model=${v}`, true)} options={trained.map((m) => ({ value: String(m.id), label: m.name }))} />
          )}
          {detail.value && (detail.value.data?.kind === "csv" ? <CsvInput key={chosen} modelId={chosen} columns={detail.value.data.input_shape[0] ?? 0} /> : <PictureInput key={chosen} modelId={chosen} />)}
        </section>
      </div>
    </>
  );
}

function Result({ result, error }: { result: PredictBody | null; error: ApiError | null }) {
  return (
    <div aria-live="polite">
      <FormErrors messages={error ? error.others([]) : []} />
      {result && (
        <div class="prediction">
          <p>
            Class <strong class="predicted">{result.label}</strong> <span class="muted">(weights of run #{result.run_id})</span>
          </p>
          <ProbabilityBars probabilities={result.probabilities} label={result.label} />
        </div>
      )}
    </div>
  );
}

function PictureInput({ modelId }: { modelId: number }) {
  const [file, setFile] = useState<File | null>(null);
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<PredictBody | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const href = useObjectUrl(file);
  const classify = async (picked: File) => {
    setFile(picked);
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await models.predictFile(modelId, picked));
    } catch (e) {
      setError(asApiError(e));
    }
    setBusy(false);
  };
  return (
    <div class="stack">
      <label
        class={`dropzone${over ? " over" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const dropped = e.dataTransfer?.files[0];
          if (dropped) void classify(dropped);
        }}
      >
        {href ? <img class="pixelated" src={href} alt={file?.name ?? "picture"} /> : <span aria-hidden="true">⬇</span>}
        <span>Drop a picture here, or choose one</span>
        <input type="file" accept="image/*" class="sr-only" onChange={(e) => {
          const picked = (e.target as HTMLInputElement).files?.[0];
          if (picked) void classify(picked);
        }} />
      </label>
      {busy && <Loading label="Classifying…" />}
      <Result result={result} error={error} />
    </div>
  );
}

function CsvInput({ modelId, columns }: { modelId: number; columns: number }) {
  const [row, setRow] = useState("");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<PredictBody | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    const values = row.split(/[,;\s]+/).filter(Boolean).map(Number);
    try {
      setResult(await models.predictFeatures(modelId, values));
    } catch (err) {
      setError(asApiError(err));
    }
    setBusy(false);
  };
  return (
    <form onSubmit={submit} noValidate class="stack">
      <TextField label={`One row: ${columns} numbers separated by commas`} value={row} onValue={setRow} errors={error?.field("features")} placeholder="5.1, 3.5, 1.4, 0.2" />
      <Button type="submit" busy={busy} busyLabel="Classifying…">
        Classify
      </Button>
      <Result result={result} error={error && !error.field("features").length ? error : null} />
    </form>
  );
}
