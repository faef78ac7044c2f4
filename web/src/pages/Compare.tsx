import { useMemo, useState } from "preact/hooks";
import { models } from "../api";
import { FormErrors } from "../components/forms";
import { PageHeader } from "../components/Layout";
import { LineChart } from "../components/LineChart";
import { Loading } from "../components/status";
import { useAsync } from "../components/useAsync";
import { count, percent, seconds } from "../lib/format";
import { alignCurves, cell, visibleRows } from "../lib/compare";
import { navigate } from "../router";

const COLORS = ["#1f4fd1", "#d9480f", "#2b8a3e", "#862e9c", "#e67700", "#0b7285", "#c2255c", "#5c940d"];

export function Compare({ query }: { query: URLSearchParams }) {
  const ids = (query.get("ids") ?? "").split(",").map(Number).filter((n) => n > 0);
  const list = useAsync(() => models.list(), []);
  const toggle = (id: number) => {
    const next = ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id];
    navigate(next.length ? `/app/compare/?ids=${next.join(",")}` : "/app/compare/", true);
  };
  return (
    <>
      <PageHeader title="Compare" />
      <section class="card" aria-labelledby="pick-title">
        <h2 id="pick-title">Models</h2>
        {list.loading && <Loading />}
        {list.value?.length === 0 && <p class="empty">No models yet.</p>}
        <fieldset class="chips">
          <legend class="sr-only">Models to compare</legend>
          {list.value?.map((m) => (
            <label key={m.id} class={ids.includes(m.id) ? "chip on" : "chip"}>
              <input type="checkbox" checked={ids.includes(m.id)} onChange={() => toggle(m.id)} />
              {m.name}
            </label>
          ))}
        </fieldset>
      </section>
      {ids.length > 0 && <Comparison key={ids.join(",")} ids={ids} />}
    </>
  );
}

function Comparison({ ids }: { ids: number[] }) {
  const body = useAsync(() => models.compare(ids), [ids.join(",")]);
  const [onlyDifferences, setOnlyDifferences] = useState(true);
  const curves = useMemo(() => (body.value ? body.value.models.map((m) => m.latest_run?.curve ?? []) : []), [body.value]);
  const accuracy = useMemo(() => alignCurves(curves, "accuracy"), [curves]);
  const loss = useMemo(() => alignCurves(curves, "loss"), [curves]);
  if (body.loading) return <Loading />;
  if (body.error) return <FormErrors messages={[body.error.message]} />;
  const value = body.value!;
  const series = value.models.map((m, i) => ({ label: m.name, color: COLORS[i % COLORS.length]! }));
  const rows = visibleRows(value.fields, onlyDifferences);
  return (
    <>
      <div class="grid two">
        <section class="card">
          <LineChart title="Test accuracy by step (latest run of each)" x={accuracy[0]} ys={accuracy.slice(1) as (number | null)[][]} series={series} />
        </section>
        <section class="card">
          <LineChart title="Loss by step (latest run of each)" x={loss[0]} ys={loss.slice(1) as (number | null)[][]} series={series} />
        </section>
      </div>
      <section class="card" aria-labelledby="side-title">
        <div class="card-head">
          <h2 id="side-title">Side by side</h2>
          <label class="switch">
            <input type="checkbox" role="switch" checked={onlyDifferences} onChange={(e) => setOnlyDifferences((e.target as HTMLInputElement).checked)} />
            Only differences ({value.differences.length})
          </label>
        </div>
        <div class="table-scroll">
          <table class="table compare">
            <thead>
              <tr>
                <th scope="col">Field</th>
                {value.models.map((m, i) => (
                  <th scope="col" key={m.id}>
                    <span class="swatch" style={{ backgroundColor: COLORS[i % COLORS.length] }} aria-hidden="true" /> <a href={`/app/models/${m.id}/`}>{m.name}</a>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr class="result-row">
                <th scope="row">final accuracy</th>
                {value.models.map((m) => (
                  <td key={m.id}>{percent(m.latest_run?.final_accuracy)}</td>
                ))}
              </tr>
              <tr class="result-row">
                <th scope="row">final loss</th>
                {value.models.map((m) => (
                  <td key={m.id}>{m.latest_run?.final_loss?.toFixed(4) ?? "–"}</td>
                ))}
              </tr>
              <tr class="result-row">
                <th scope="row">training time</th>
                {value.models.map((m) => (
                  <td key={m.id}>{m.latest_run ? seconds(m.latest_run.training_seconds) : "–"}</td>
                ))}
              </tr>
              <tr class="result-row">
                <th scope="row">parameters</th>
                {value.models.map((m) => (
                  <td key={m.id}>{m.parameter_count === null ? "–" : count(m.parameter_count)}</td>
                ))}
              </tr>
              {rows.map((row) => (
                <tr key={row.field} class={row.differs ? "differs" : undefined}>
                  <th scope="row">
                    <code>{row.field}</code>
                  </th>
                  {row.values.map((v, i) => (
                    <td key={i}>{cell(v)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {rows.length === 0 && <p class="empty">{onlyDifferences ? "The configurations are the same." : "No configurations saved."}</p>}
      </section>
    </>
  );
}
