import { useEffect, useState } from "preact/hooks";
import { data } from "../../api";
import { UploadMedia } from "../../components/Blob";
import { Button, FormErrors } from "../../components/forms";
import { Loading } from "../../components/status";
import { isAudioName, isPictureName } from "../../lib/tree";
import { CsvGrid } from "./CsvGrid";

const TEXT_LIMIT = 200_000;

/** A file of an upload as what it is: a picture, audio, a CSV grid, or text. */
export function FilePreview({ id, path, name, contentType }: { id: number; path?: string; name: string; contentType?: string }) {
  const type = contentType ?? "";
  if (isPictureName(name) || type.startsWith("image/")) return <UploadMedia id={id} path={path} alt={name} kind="picture" />;
  if (isAudioName(name) || type.startsWith("audio/")) return <UploadMedia id={id} path={path} alt={name} kind="audio" />;
  if (/\.(csv|tsv)$/i.test(name)) return <CsvGrid id={id} path={path} />;
  return <TextPreview id={id} path={path} name={name} />;
}

function TextPreview({ id, path, name }: { id: number; path?: string; name: string }) {
  const [text, setText] = useState<string | null>(null);
  const [binary, setBinary] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    data
      .content(id, path ? { relative_path: path } : {})
      .then(async (r) => {
        if (!live) return;
        if (r.kind === "json") return setText(JSON.stringify(r.json, null, 2));
        if (!/^(text\/|application\/(json|xml|javascript))/.test(r.type) && r.type !== "") return setBinary(true);
        const body = await r.blob.slice(0, TEXT_LIMIT).text();
        if (live) setText(body + (r.blob.size > TEXT_LIMIT ? "\n…" : ""));
      })
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [id, path]);
  if (error) return <FormErrors messages={[error]} />;
  if (binary) return <DownloadButton id={id} path={path} name={name} />;
  if (text === null) return <Loading label="Loading preview…" />;
  return (
    <pre class="code" tabIndex={0} aria-label={`Contents of ${name}`}>
      <code>{text}</code>
    </pre>
  );
}

/** Downloads need the token, so the file is fetched and handed over from memory. */
export function DownloadButton({ id, path, name }: { id: number; path?: string | undefined; name: string }) {
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const answer = await data.content(id, { ...(path ? { relative_path: path } : {}) });
      const blob = answer.kind === "file" ? answer.blob : new Blob([JSON.stringify(answer.json)], { type: "application/json" });
      saveBlob(blob, name);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button variant="secondary" busy={busy} onClick={download}>
      Download {name}
    </Button>
  );
}

export function saveBlob(blob: Blob, name: string): void {
  const href = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = href;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 1000);
}
