import { useState } from "preact/hooks";
import { data, type FileClass } from "../../api";
import { ConfirmButton } from "../../components/Confirm";
import { FormErrors, Notice, SelectField } from "../../components/forms";
import { PageHeader } from "../../components/Layout";
import { Loading } from "../../components/status";
import { useAsync } from "../../components/useAsync";
import { date } from "../../lib/format";
import { navigate } from "../../router";
import { UploadForm } from "./UploadForm";

const FILTERS = [
  { value: "", label: "All kinds" },
  { value: "picture", label: "Pictures" },
  { value: "doc", label: "Documents" },
  { value: "code", label: "Code" },
  { value: "audio", label: "Audio" },
];

export function DataList({ query }: { query: URLSearchParams }) {
  const filter = (query.get("class") ?? "") as FileClass | "";
  const items = useAsync(() => data.list(filter || undefined), [filter]);
  const [deleted, setDeleted] = useState<string | null>(null);

  return (
    <>
      <PageHeader title="Data" />
      <div class="grid sidebar-right">
        <section class="card" aria-labelledby="uploads-title">
          <div class="card-head">
            <h2 id="uploads-title">Your uploads</h2>
            <SelectField
              label="Show"
              value={filter}
              onValue={(v) => navigate(v ? `/app/data/?class=${v}` : "/app/data/", true)}
              options={FILTERS}
            />
          </div>
          {deleted && <Notice kind="success">Deleted {deleted}.</Notice>}
          {items.loading && <Loading />}
          {items.error && <FormErrors messages={[items.error.message]} />}
          {items.value && items.value.length === 0 && <p class="empty">Nothing here yet: upload a zip of pictures or a CSV on the right.</p>}
          {items.value && items.value.length > 0 && (
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Uploaded</th>
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.value.map((item) => (
                  <tr key={item.id}>
                    <td>
                      <a href={`/app/data/${item.id}/`}>{item.file_name}</a>
                      <span class="muted"> #{item.id}</span>
                    </td>
                    <td>{item.file_type}</td>
                    <td class="date">{date(item.created_at)}</td>
                    <td class="row-actions">
                      <ConfirmButton
                        label="Delete"
                        title={`Delete ${item.file_name}?`}
                        message="The upload and its files are removed for good."
                        confirmLabel="Delete"
                        onConfirm={async () => {
                          await data.remove(item.id);
                          setDeleted(item.file_name);
                          items.reload();
                        }}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section class="card" aria-labelledby="upload-title">
          <h2 id="upload-title">Upload</h2>
          <UploadForm onUploaded={(id) => navigate(`/app/data/${id}/`)} />
        </section>
      </div>
    </>
  );
}
