import { useEffect, useState } from "preact/hooks";
import { ApiError, models, runs, type ModelDetail } from "../../api";
import { ConfirmButton } from "../../components/Confirm";
import { Button, FormErrors } from "../../components/forms";
import { PageHeader } from "../../components/Layout";
import { Loading, StatusBadge } from "../../components/status";
import { asApiError, useAsync } from "../../components/useAsync";
import { count, date, percent } from "../../lib/format";
import { navigate } from "../../router";
import { CodePanel } from "./CodePanel";
import { DataPanel } from "./DataPanel";
import { Designer } from "./Designer";

export function ModelPage({ params }: { params: Record<string, string> }) {
  const id = Number(params.id);
  const detail = useAsync(() => models.detail(id), [id]);
  const registry = useAsync(() => models.registry(), []);
  const [dataId, setDataId] = useState<number | null>(null);
  useEffect(() => setDataId(detail.value?.data_id ?? null), [detail.value?.data_id]);

  if (detail.loading && !detail.value) return <Loading />;
  if (detail.error) return <FormErrors messages={[detail.error.status === 404 ? "There is no such model." : detail.error.message]} />;
  const model = detail.value!;
  return (
    <>
      <PageHeader title={model.name}>
        <a class="btn btn-secondary" href={`/app/predict/?model=${model.id}`}>
          Predict
        </a>
        <ConfirmButton
          label="Delete model"
          title={`Delete ${model.name}?`}
          message="Its configuration, runs and checkpoints are removed for good. Its data stays."
          confirmLabel="Delete"
          onConfirm={async () => {
            await models.remove(model.id);
            navigate("/app/models/", true);
          }}
        />
      </PageHeader>
      <p class="meta">
        Created {date(model.created_at)} · {model.parameter_count !== null ? `${count(model.parameter_count)} parameters` : "no network saved yet"}
      </p>
      <div class="grid sidebar-left">
        <div class="stack">
          <section class="card" aria-labelledby="data-title">
            <h2 id="data-title">Data</h2>
            <DataPanel model={model} dataId={dataId} onDataId={setDataId} onLabels={detail.reload} />
          </section>
          <section class="card" aria-labelledby="runs-title">
            <h2 id="runs-title">Runs</h2>
            <RunsPanel model={model} />
          </section>
        </div>
        <div class="stack">
          {registry.loading && <Loading />}
          {registry.value && <Designer key={model.id} model={model} registry={registry.value} dataId={dataId} onSaved={(m) => detail.set(m)} />}
          <section class="card" aria-labelledby="code-title">
            <h2 id="code-title">Code</h2>
            <CodePanel modelName={model.name} configured={model.config !== null} />
          </section>
        </div>
      </div>
    </>
  );
}

function RunsPanel({ model }: { model: ModelDetail }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const run = await runs.start(model.name);
      navigate(`/app/runs/${run.run_id}/`);
    } catch (e) {
      setError(asApiError(e));
      setBusy(false);
    }
  };
  return (
    <div class="stack">
      <Button busy={busy} busyLabel="Starting…" disabled={!model.config} onClick={start}>
        Start a training run
      </Button>
      <FormErrors messages={error ? error.others([]) : []} />
      {model.runs.length === 0 ? (
        <p class="empty">No runs yet.</p>
      ) : (
        <ul class="run-list">
          {model.runs.map((r) => (
            <li key={r.run_id}>
              <a href={`/app/runs/${r.run_id}/`}>Run #{r.run_id}</a> <StatusBadge status={r.status} />
              <span class="muted">
                {" "}
                {r.step}/{r.iter} steps · accuracy {percent(r.final_accuracy)}
                {model.weights_run === r.run_id ? " · current weights" : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
