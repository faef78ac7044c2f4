import { useState } from "preact/hooks";
import { data, type CsvRow } from "../../api";
import { Button, FormErrors, SelectField } from "../../components/forms";
import { Loading } from "../../components/status";
import { useAsync } from "../../components/useAsync";

/** A CSV upload (or a CSV inside a zip) a page at a time, with the API's offset/limit. */
export function CsvGrid({ id, path }: { id: number; path?: string }) {
  const [offset, setOffset] = useState(0);
  const [limit, setLimit] = useState(25);
  const page = useAsync(async () => {
    const answer = await data.content(id, { relative_path: path, offset, limit });
    if (answer.kind !== "json" || !Array.isArray(answer.json)) throw new Error("This is not a CSV table.");
    return answer.json as CsvRow[];
  }, [id, path, offset, limit]);
  const rows = page.value ?? [];
  const columns = rows[0] ? Object.keys(rows[0]) : [];
  return (
    <div class="csv">
      <div class="toolbar">
        <SelectField
          label="Rows per page"
          value={String(limit)}
          onValue={(v) => {
            setLimit(Number(v));
            setOffset(0);
          }}
          options={[10, 25, 50, 100].map((n) => ({ value: String(n), label: String(n) }))}
        />
        <span class="muted" aria-live="polite">
          {rows.length ? `Rows ${offset + 1}–${offset + rows.length}` : page.loading ? "" : "No rows"}
        </span>
        <div class="actions">
          <Button variant="secondary" disabled={offset === 0 || page.loading} onClick={() => setOffset(Math.max(0, offset - limit))}>
            Previous
          </Button>
          <Button variant="secondary" disabled={rows.length < limit || page.loading} onClick={() => setOffset(offset + limit)}>
            Next
          </Button>
        </div>
      </div>
      {page.error && <FormErrors messages={[page.error.message]} />}
      {page.loading && !page.value && <Loading />}
      {rows.length > 0 && (
        <div class="table-scroll" tabIndex={0} aria-label="CSV rows">
          <table class="table compact">
            <thead>
              <tr>
                <th scope="col">#</th>
                {columns.map((c) => (
                  <th scope="col" key={c}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr key={offset + i}>
                  <td class="muted">{offset + i + 1}</td>
                  {columns.map((c) => (
                    <td key={c}>{row[c]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
