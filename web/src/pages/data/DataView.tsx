import { useMemo, useState } from "preact/hooks";
import { data, type Tree } from "../../api";
import { ConfirmButton } from "../../components/Confirm";
import { FormErrors } from "../../components/forms";
import { PageHeader } from "../../components/Layout";
import { Loading } from "../../components/status";
import { useAsync } from "../../components/useAsync";
import { date } from "../../lib/format";
import { countFiles, firstPicture, treeNodes } from "../../lib/tree";
import { navigate } from "../../router";
import { CsvGrid } from "./CsvGrid";
import { FilePreview } from "./FilePreview";
import { TreeView } from "./TreeView";

/** One upload: a zip as a browsable tree, a CSV as a grid, a picture or audio played. */
export function DataView({ params }: { params: Record<string, string> }) {
  const id = Number(params.id);
  const meta = useAsync(async () => (await data.list()).find((d) => d.id === id) ?? null, [id]);
  const content = useAsync(() => data.content(id), [id]);
  const item = meta.value;
  const title = item ? item.file_name : `Upload #${id}`;
  const isPictures = item?.file_type === "picture";

  return (
    <>
      <PageHeader title={title}>
        {isPictures && (
          <a class="btn btn-secondary" href={`/app/preprocess/?data=${id}`}>
            Preprocess
          </a>
        )}
        <a class="btn btn-secondary" href={`/app/models/?data=${id}`}>
          New model on this data
        </a>
        <ConfirmButton
          label="Delete"
          title={`Delete ${title}?`}
          message="The upload and its files are removed for good."
          confirmLabel="Delete"
          onConfirm={async () => {
            await data.remove(id);
            navigate("/app/data/", true);
          }}
        />
      </PageHeader>
      {item && (
        <p class="meta">
          #{item.id} · {item.file_type} · uploaded {date(item.created_at)}
        </p>
      )}
      {meta.value === null && <FormErrors messages={["There is no such upload."]} />}
      {content.loading && <Loading />}
      {content.error && <FormErrors messages={[content.error.message]} />}
      {content.value?.kind === "json" && Array.isArray(content.value.json) && (
        <section class="card">
          <h2>Rows</h2>
          <CsvGrid id={id} />
        </section>
      )}
      {content.value?.kind === "json" && !Array.isArray(content.value.json) && <ZipBrowser id={id} tree={content.value.json as Tree} />}
      {content.value?.kind === "file" && (
        <section class="card">
          <h2>Preview</h2>
          <FilePreview id={id} name={item?.file_name ?? ""} contentType={content.value.type} />
        </section>
      )}
    </>
  );
}

function ZipBrowser({ id, tree }: { id: number; tree: Tree }) {
  const nodes = useMemo(() => treeNodes(tree), [tree]);
  const [selected, setSelected] = useState<string | null>(() => firstPicture(nodes));
  const name = selected?.split("/").pop() ?? "";
  return (
    <div class="grid browser">
      <section class="card" aria-labelledby="files-title">
        <h2 id="files-title">Files ({countFiles(nodes)})</h2>
        <TreeView nodes={nodes} selected={selected} onSelect={setSelected} />
      </section>
      <section class="card" aria-labelledby="preview-title" aria-live="polite">
        <h2 id="preview-title">{selected ?? "Preview"}</h2>
        {selected ? <FilePreview key={selected} id={id} path={selected} name={name} /> : <p class="empty">Pick a file to preview it.</p>}
      </section>
    </div>
  );
}
