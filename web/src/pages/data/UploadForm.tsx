import { useRef, useState } from "preact/hooks";
import { ApiError, data, type FileClass, type FileType } from "../../api";
import { Button, FormErrors, SelectField, TextField } from "../../components/forms";
import { ProgressBar } from "../../components/status";
import { asApiError } from "../../components/useAsync";
import { FieldErrors } from "../../components/forms";

const CLASSES: { value: FileClass; label: string }[] = [
  { value: "picture", label: "Pictures" },
  { value: "doc", label: "Documents (CSV, text)" },
  { value: "code", label: "Code" },
  { value: "audio", label: "Audio" },
];

/** Upload one file, a zip (extracted by the server) or a URL (downloaded by it). */
export function UploadForm({ onUploaded }: { onUploaded: (id: number) => void }) {
  const [type, setType] = useState<FileType>("zip");
  const [fileClass, setFileClass] = useState<FileClass>("picture");
  const [file, setFile] = useState<File | null>(null);
  const [address, setAddress] = useState("");
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    setProgress({ sent: 0, total: file?.size ?? 0 });
    abort.current = new AbortController();
    try {
      const { data_id } = await data.upload(
        { type, fileClass, ...(type === "url" ? { url: address } : { file: file ?? undefined }) },
        (sent, total) => setProgress({ sent, total }),
        abort.current.signal,
      );
      setFile(null);
      setAddress("");
      if (input.current) input.current.value = "";
      onUploaded(data_id);
    } catch (err) {
      if ((err as Error).name !== "AbortError") setError(asApiError(err));
    }
    setBusy(false);
    setProgress(null);
  };

  return (
    <form class="upload" onSubmit={submit} noValidate aria-label="Upload">
      <FormErrors messages={error ? error.others(["file", "url", "file_type", "file_class"]) : []} />
      <fieldset class="choice">
        <legend>What</legend>
        <div class="segmented">
        {(["single", "zip", "url"] as FileType[]).map((t) => (
          <label key={t}>
            <input type="radio" name="file_type" value={t} checked={type === t} onChange={() => setType(t)} />
            {t === "single" ? "One file" : t === "zip" ? "Zip archive" : "From a URL"}
          </label>
        ))}
        </div>
      </fieldset>
      <FieldErrors messages={error?.field("file_type")} />
      <SelectField label="Kind of data" value={fileClass} onValue={(v) => setFileClass(v as FileClass)} options={CLASSES} errors={error?.field("file_class")} />
      {type === "url" ? (
        <TextField label="URL" type="url" value={address} onValue={setAddress} errors={error?.field("url")} placeholder="https://example.com/table.csv" />
      ) : (
        <div class={`field${error?.field("file").length ? " has-error" : ""}`}>
          <label for="upload-file">{type === "zip" ? "Zip file" : "File"}</label>
          <input
            id="upload-file"
            ref={input}
            type="file"
            accept={type === "zip" ? ".zip,application/zip" : undefined}
            onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
          />
          <FieldErrors messages={error?.field("file")} />
        </div>
      )}
      {progress && <ProgressBar value={progress.sent} max={progress.total} label={file ? `Uploading ${file.name}` : "Downloading on the server"} />}
      <div class="actions">
        <Button type="submit" busy={busy} busyLabel="Uploading…">
          Upload
        </Button>
        {busy && (
          <Button variant="secondary" onClick={() => abort.current?.abort()}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
