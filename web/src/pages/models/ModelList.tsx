import { useState } from "preact/hooks";
import { ApiError, data, models } from "../../api";
import { Button, FormErrors, SelectField, TextField } from "../../components/forms";
import { PageHeader } from "../../components/Layout";
import { Loading, StatusBadge } from "../../components/status";
import { asApiError, useAsync } from "../../components/useAsync";
import { count, date, percent } from "../../lib/format";
import { navigate } from "../../router";

export function ModelList({ query }: { query: URLSearchParams }) {
  const list = useAsync(() => models.list(), []);
  return (
    <>
      <PageHeader title="Models" />
      <div class="grid sidebar-right">
        <section class="card" aria-labelledby="models-title">
          <h2 id="models-title">Your models</h2>
          {list.loading && <Loading />}
          {list.error && <FormErrors messages={[list.error.message]} />}
          {list.value?.length === 0 && <p class="empty">No models yet. A model is a project: its data, its network and its runs.</p>}
          {!!list.value?.length && (
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="num">Best accuracy</th>
                  <th scope="col" class="num">Parameters</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {list.value.map((m) => (
                  <tr key={m.id}>
                    <td>
                      <a href={`/app/models/${m.id}/`}>{m.name}</a>
                    </td>
                    <td>
                      <StatusBadge status={m.status} />
                    </td>
                    <td class="num">{percent(m.best_accuracy)}</td>
                    <td class="num">{m.parameter_count === null ? "–" : count(m.parameter_count)}</td>
                    <td class="date">{date(m.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section class="card" aria-labelledby="create-title">
          <h2 id="create-title">New model</h2>
          <CreateModel initialData={query.get("data") ?? ""} />
        </section>
      </div>
    </>
  );
}

function CreateModel({ initialData }: { initialData: string }) {
  const uploads = useAsync(() => data.list(), []);
  const [name, setName] = useState("");
  const [dataId, setDataId] = useState(initialData);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await models.create(name, dataId ? Number(dataId) : undefined);
      navigate(`/app/models/${created.id}/`);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };
  // Models train on a zip of pictures in class folders, or on a CSV.
  const usable = (uploads.value ?? []).filter((u) => u.file_type === "picture" || u.file_type === "doc");
  return (
    <form onSubmit={submit} noValidate>
      <FormErrors messages={error ? error.others(["modelName", "dataId"]) : []} />
      <TextField label="Name" name="modelName" value={name} onValue={setName} errors={error?.field("modelName")} hint="Letters, digits, - and _" />
      <SelectField
        label="Data"
        value={dataId}
        onValue={setDataId}
        errors={error?.field("dataId")}
        hint="A zip of pictures in one folder per class, or a CSV whose last column is the class."
        options={[{ value: "", label: "None yet" }, ...usable.map((u) => ({ value: String(u.id), label: `${u.file_name} (#${u.id})` }))]}
      />
      <Button type="submit" busy={busy} busyLabel="Creating…">
        Create the model
      </Button>
    </form>
  );
}
