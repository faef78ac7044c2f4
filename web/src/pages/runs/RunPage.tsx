import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, models, runs, type RunStatus } from "../../api";
import { Button, FormErrors, Notice } from "../../components/forms";
import { Heatmap } from "../../components/Heatmap";
import { PageHeader } from "../../components/Layout";
import { LineChart } from "../../components/LineChart";
import { Loading, ProgressBar, StatusBadge } from "../../components/status";
import { asApiError, useAsync } from "../../components/useAsync";
import { date, percent, seconds } from "../../lib/format";
import { engineText, placementText } from "../../lib/placement";
import { isLive, useRunStream } from "./useRunStream";

const SERIES = [
  { label: "accuracy", color: "#1f4fd1", scale: "y" as const },
  { label: "loss", color: "#d9480f", scale: "loss" as const },
];

export function RunPage({ params }: { params: Record<string, string> }) {
  const id = Number(params.id);
  const details = useAsync(() => runs.details(id), [id]);
  const modelName = useAsync(async () => (await models.list()).find((m) => m.id === details.value?.model_id)?.name ?? null, [details.value?.model_id]);
  const [status, setStatus] = useState<RunStatus | undefined>(undefined);
  const [action, setAction] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [restored, setRestored] = useState<string | null>(null);
  const run = details.value;
  useEffect(() => setStatus(run?.status), [run?.status]);

  const lastStepRef = useRef<number | undefined>(undefined);
  const { curves, streaming } = useRunStream(id, run?.points, status, (end) => {
    setStatus(end.status);
    details.reload();
  });

  // The stream carries points; the status (queued → running) is polled cheaply.
  useEffect(() => {
    if (!status || !isLive(status)) return;
    const timer = setInterval(async () => {
      try {
        const answer = await runs.runtime(id, lastStepRef.current);
        setStatus(answer.status);
      } catch {
        // The next tick tries again.
      }
    }, 3000);
    return () => clearInterval(timer);
  }, [id, status]);

  const act = async (name: "pause" | "resume" | "stop") => {
    setAction(name);
    setError(null);
    try {
      setStatus((await runs[name](id)).status);
    } catch (e) {
      setError(asApiError(e));
    }
    setAction(null);
  };
  const restore = async () => {
    setAction("restore");
    setError(null);
    try {
      const r = await runs.restore(id);
      setRestored(`The model now uses this run's parameters (step ${r.step}); its next run starts from them.`);
    } catch (e) {
      setError(asApiError(e));
    }
    setAction(null);
  };

  if (details.loading && !run) return <Loading />;
  if (details.error && !run) return <FormErrors messages={[details.error.status === 404 ? "There is no such run." : details.error.message]} />;
  if (!run) return null;
  const current = status ?? run.status;
  const lastStep = curves.steps.at(-1) ?? 0;
  lastStepRef.current = curves.steps.at(-1);
  const step = Math.max(run.step, lastStep);
  const accuracy = curves.accuracy.at(-1);
  const loss = curves.loss.at(-1);

  return (
    <>
      <PageHeader title={`Run #${run.run_id}`}>
        <StatusBadge status={current} />
      </PageHeader>
      <p class="meta">
        Model <a href={`/app/models/${run.model_id}/`}>{modelName.value ?? `#${run.model_id}`}</a> · data <a href={`/app/data/${run.data_id}/`}>#{run.data_id}</a> · created {date(run.created_at)} · {engineText(run)}
        {run.warm_from ? ` · warm start from run #${run.warm_from}` : ""}
        {run.placement ? ` · ${placementText(run.placement)}` : ""}
      </p>
      <div class="grid sidebar-right">
        <div class="stack">
          <section class="card" aria-labelledby="curves-title">
            <div class="card-head">
              <h2 id="curves-title">Accuracy and loss</h2>
              <span class="muted" aria-live="polite" data-points={curves.steps.length}>
                {streaming ? "live · " : ""}
                {curves.steps.length} points
              </span>
            </div>
            <LineChart title="Test-split accuracy (left) and loss (right) by step" x={curves.steps} ys={[curves.accuracy, curves.loss]} series={SERIES} height={300} />
          </section>
          {run.confusion_matrix && (
            <section class="card" aria-labelledby="confusion-title">
              <h2 id="confusion-title">Confusion matrix</h2>
              <Heatmap classes={run.classes} matrix={run.confusion_matrix} />
            </section>
          )}
        </div>
        <div class="stack">
          <section class="card" aria-labelledby="status-title">
            <h2 id="status-title">Status</h2>
            <ProgressBar value={step} max={run.iter} label={`Step ${step} of ${run.iter}`} />
            <dl class="facts">
              <div>
                <dt>Accuracy</dt>
                <dd data-testid="accuracy">{percent(run.final_accuracy ?? accuracy)}</dd>
              </div>
              <div>
                <dt>Loss</dt>
                <dd>{(run.final_loss ?? loss)?.toFixed(4) ?? "–"}</dd>
              </div>
              <div>
                <dt>Training time</dt>
                <dd>{seconds(Math.max(run.training_seconds, curves.seconds))}</dd>
              </div>
              {run.finished_at && (
                <div>
                  <dt>Finished</dt>
                  <dd>{date(run.finished_at)}</dd>
                </div>
              )}
            </dl>
            {run.error && <Notice kind="error">{run.error}</Notice>}
            <FormErrors messages={error ? error.others([]) : []} />
            <div class="actions">
              {(current === "queued" || current === "running") && (
                <Button variant="secondary" busy={action === "pause"} onClick={() => act("pause")}>
                  Pause
                </Button>
              )}
              {(current === "paused" || current === "interrupted") && (
                <Button variant="secondary" busy={action === "resume"} onClick={() => act("resume")}>
                  Resume
                </Button>
              )}
              {isLive(current) && (
                <Button variant="danger" busy={action === "stop"} onClick={() => act("stop")}>
                  Stop
                </Button>
              )}
              {!isLive(current) && current !== "failed" && (
                <Button variant="secondary" busy={action === "restore"} onClick={restore}>
                  Restore these weights
                </Button>
              )}
            </div>
            {restored && <Notice kind="success">{restored}</Notice>}
          </section>
          <section class="card" aria-labelledby="config-title">
            <h2 id="config-title">Configuration</h2>
            <dl class="facts">
              {(["net_type", "iter", "learning_rate", "optimizer_name", "loss_name", "ratio", "batch_size"] as const).map((k) =>
                run.config[k] !== undefined ? (
                  <div key={k}>
                    <dt>{k.replace(/_/g, " ")}</dt>
                    <dd>{String(run.config[k])}</dd>
                  </div>
                ) : null,
              )}
              <div>
                <dt>layers</dt>
                <dd>{run.config.net_config.middle_layer.map((l) => l.layer).join(" → ") || "none"}</dd>
              </div>
            </dl>
          </section>
        </div>
      </div>
    </>
  );
}

