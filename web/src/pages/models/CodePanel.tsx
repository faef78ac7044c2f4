import { useState } from "preact/hooks";
import { ApiError, models } from "../../api";
import { Button, FormErrors } from "../../components/forms";
import { asApiError } from "../../components/useAsync";
import { saveBlob } from "../data/FilePreview";

type Framework = "pytorch" | "keras";

/** Runnable PyTorch or Keras code for the saved network: view, copy, download. */
export function CodePanel({ modelName, configured }: { modelName: string; configured: boolean }) {
  const [framework, setFramework] = useState<Framework>("pytorch");
  const [code, setCode] = useState<{ framework: Framework; text: string; dataId: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [copied, setCopied] = useState(false);
  const generate = async () => {
    setBusy(true);
    setError(null);
    setCopied(false);
    try {
      const answer = await models.generate(modelName, framework);
      setCode({ framework, text: answer.code, dataId: answer.data_id });
    } catch (e) {
      setError(asApiError(e));
    }
    setBusy(false);
  };
  const fileName = code ? `${modelName}_${code.framework}.py` : "";
  return (
    <div>
      <div class="toolbar">
        <fieldset class="choice">
          <legend>Framework</legend>
          <div class="segmented">
          {(["pytorch", "keras"] as Framework[]).map((f) => (
            <label key={f}>
              <input type="radio" name="framework" value={f} checked={framework === f} onChange={() => setFramework(f)} />
              {f === "pytorch" ? "PyTorch" : "Keras"}
            </label>
          ))}
          </div>
        </fieldset>
        <Button busy={busy} busyLabel="Generating…" disabled={!configured} onClick={generate}>
          Generate code
        </Button>
        {!configured && <span class="hint">Save a network first.</span>}
      </div>
      <FormErrors messages={error ? error.others([]) : []} />
      {code && (
        <>
          <div class="toolbar centered">
            <span class="muted">
              {fileName} · {code.text.split("\n").length} lines · also stored as upload <a href={`/app/data/${code.dataId}/`}>#{code.dataId}</a>
            </span>
            <span class="spacer" />
            <Button
              variant="secondary"
              onClick={async () => {
                await navigator.clipboard.writeText(code.text);
                setCopied(true);
              }}
            >
              {copied ? "Copied" : "Copy"}
            </Button>
            <Button variant="secondary" onClick={() => saveBlob(new Blob([code.text], { type: "text/x-python" }), fileName)}>
              Download
            </Button>
          </div>
          <pre class="code tall" tabIndex={0} aria-label={`Generated ${code.framework} code`}>
            <code>{code.text}</code>
          </pre>
        </>
      )}
    </div>
  );
}
