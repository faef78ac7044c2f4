import { useEffect, useState } from "preact/hooks";
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
  const [outcome, setOutcome] = useState<Outcome>({ result: null, error: null, busy: false });
  useEffect(() => setOutcome({ result: null, error: null, busy: false }), [chosen]);
  return (
    <>
      <PageHeader title="Predict" />
      <div class="grid two">
        <section class="card" aria-labelledby="input-title">
          <h2 id="input-title">Input</h2>
          {list.loading && <Loading />}
          {list.value && trained.length === 0 && <p class="empty">No model has finished training yet.</p>}
          {trained.length > 0 && (
            <SelectField label="Model" value={String(chosen)} onValue={(v) => navigate(`/app/predict/?model=${v}`, true)} options={trained.map((m) => ({ value: String(m.id), label: m.name }))} />
          )}
          {detail.value &&
            (detail.value.data?.kind === "csv" ? (
              <CsvInput key={chosen} modelId={chosen} columns={detail.value.data.input_shape[0] ?? 0} onOutcome={setOutcome} fieldError={outcome.error?.field("features")} />
            ) : (
              <PictureInput key={chosen} modelId={chosen} onOutcome={setOutcome} />
            ))}
        </section>
        <section class="card" aria-labelledby="result-title">
          <h2 id="result-title">Classes</h2>
          {outcome.busy && <Loading label="Classifying…" />}
          {!outcome.busy && !outcome.result && !outcome.error && <p class="empty">The model's answer appears here.</p>}
          <Result result={outcome.result} error={outcome.error && !outcome.error.field("features").length ? outcome.error : null} />
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

interface Outcome {
  result: PredictBody | null;
  error: ApiError | null;
  busy: boolean;
}

async function classifyWith(call: () => Promise<PredictBody>, onOutcome: (o: Outcome) => void) {
  onOutcome({ result: null, error: null, busy: true });
  try {
    onOutcome({ result: await call(), error: null, busy: false });
  } catch (e) {
    onOutcome({ result: null, error: asApiError(e), busy: false });
  }
}

function PictureInput({ modelId, onOutcome }: { modelId: number; onOutcome: (o: Outcome) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [over, setOver] = useState(false);
  const href = useObjectUrl(file);
  const classify = async (picked: File) => {
    setFile(picked);
    await classifyWith(() => models.predictFile(modelId, picked), onOutcome);
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
    </div>
  );
}

function CsvInput({ modelId, columns, onOutcome, fieldError }: { modelId: number; columns: number; onOutcome: (o: Outcome) => void; fieldError: string[] | undefined }) {
  const [row, setRow] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const values = row.split(/[,;\s]+/).filter(Boolean).map(Number);
    await classifyWith(() => models.predictFeatures(modelId, values), onOutcome);
    setBusy(false);
  };
  return (
    <form onSubmit={submit} noValidate class="stack">
      <TextField label={`One row: ${columns} numbers separated by commas`} value={row} onValue={setRow} errors={fieldError} placeholder="5.1, 3.5, 1.4, 0.2" />
      <Button type="submit" busy={busy} busyLabel="Classifying…">
        Classify
      </Button>
    </form>
  );
}
