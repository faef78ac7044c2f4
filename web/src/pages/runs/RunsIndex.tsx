import { useState } from "preact/hooks";
import { ApiError, models, runs } from "../../api";
import { Button, FormErrors, SelectField } from "../../components/forms";
import { PageHeader } from "../../components/Layout";
import { Loading, StatusBadge } from "../../components/status";
import { asApiError, useAsync } from "../../components/useAsync";
import { date, percent, seconds } from "../../lib/format";
import { navigate } from "../../router";

/** Every run of every model, newest first, and a way to start one. */
export function RunsIndex() {
  const all = useAsync(async () => {
    const list = await models.list();
    const details = await Promise.all(list.map((m) => models.detail(m.id)));
    const rows = details.flatMap((m) => m.runs.map((r) => ({ ...r, model: m })));
    rows.sort((a, b) => b.run_id - a.run_id);
    return { rows, configured: details.filter((m) => m.config) };
  }, []);
  const [choice, setChoice] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const run = await runs.start(choice || all.value?.configured[0]?.name || "");
      navigate(`/app/runs/${run.run_id}/`);
    } catch (e) {
      setError(asApiError(e));
      setBusy(false);
    }
  };
  return (
    <>
      <PageHeader title="Runs" />
      {all.loading && <Loading />}
      {all.error && <FormErrors messages={[all.error.message]} />}
      {all.value && (
        <div class="grid sidebar-right">
          <section class="card" aria-labelledby="runs-title">
            <h2 id="runs-title">All runs</h2>
            {all.value.rows.length === 0 ? (
              <p class="empty">No runs yet: save a network on a model, then start one.</p>
            ) : (
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">Run</th>
                    <th scope="col">Model</th>
                    <th scope="col">Status</th>
                    <th scope="col" class="num">Steps</th>
                    <th scope="col" class="num">Accuracy</th>
                    <th scope="col" class="num">Time</th>
                    <th scope="col">Started</th>
                  </tr>
                </thead>
                <tbody>
                  {all.value.rows.map((r) => (
                    <tr key={r.run_id}>
                      <td>
                        <a href={`/app/runs/${r.run_id}/`}>#{r.run_id}</a>
                      </td>
                      <td>
                        <a href={`/app/models/${r.model.id}/`}>{r.model.name}</a>
                      </td>
                      <td>
                        <StatusBadge status={r.status} />
                      </td>
                      <td class="num">
                        {r.step}/{r.iter}
                      </td>
                      <td class="num">{percent(r.final_accuracy)}</td>
                      <td class="num">{seconds(r.training_seconds)}</td>
                      <td class="date">{date(r.created_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section class="card" aria-labelledby="start-title">
            <h2 id="start-title">Start a run</h2>
            {all.value.configured.length === 0 ? (
              <p class="empty">No model has a saved network yet.</p>
            ) : (
              <>
                <SelectField label="Model" value={choice || all.value.configured[0]!.name} onValue={setChoice} options={all.value.configured.map((m) => ({ value: m.name, label: m.name }))} />
                <FormErrors messages={error ? error.others([]) : []} />
                <Button busy={busy} busyLabel="Starting…" onClick={start}>
                  Start training
                </Button>
              </>
            )}
          </section>
        </div>
      )}
    </>
  );
}
