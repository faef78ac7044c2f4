import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiError, data, preprocess, type OperationSpec, type PreprocessResult, type Tree } from "../../api";
import { useObjectUrl } from "../../components/Blob";
import { Button, FormErrors, Notice, SelectField } from "../../components/forms";
import { PageHeader } from "../../components/Layout";
import { Loading } from "../../components/status";
import { asApiError, useAsync } from "../../components/useAsync";
import { checkValue, move, newStep, toOperations, type Step } from "../../lib/operations";
import { navigate } from "../../router";
import { picturePaths, previewOnPicture, type PreviewResult } from "./Preview";
import { StepEditor } from "./StepEditor";

export function Preprocess({ query }: { query: URLSearchParams }) {
  const sourceId = Number(query.get("data")) || null;
  const uploads = useAsync(() => data.list("picture"), []);
  const operations = useAsync(() => preprocess.operations(), []);
  const [steps, setSteps] = useState<Step[]>([]);
  const [adding, setAdding] = useState("");
  const [dragged, setDragged] = useState<number | null>(null);
  const [announce, setAnnounce] = useState("");
  // The API's errors for the steps (`operations[i].value1`), shown on their step.
  const [stepErrors, setStepErrors] = useState<Record<string, string[]>>({});

  const specs = operations.value ?? [];
  const specOf = (name: string): OperationSpec | undefined => specs.find((s) => s.operationName === name || s.name === name);
  useEffect(() => {
    if (!adding && specs[0]) setAdding(specs[0].operationName);
  }, [specs.length]);

  const moveStep = (from: number, to: number) => {
    if (to < 0 || to >= steps.length) return;
    setSteps(move(steps, from, to));
    const spec = specOf(steps[from]!.operationName);
    setAnnounce(`${spec?.name ?? "Step"} moved to position ${to + 1} of ${steps.length}.`);
    // Keep the keyboard on the moved step's handle.
    requestAnimationFrame(() => document.querySelectorAll<HTMLButtonElement>(".step .handle")[to]?.focus());
  };

  const invalid = steps.some((s) => {
    const spec = specOf(s.operationName);
    return (spec?.value1 && checkValue(spec.value1, s.value1)) || (spec?.value2 && checkValue(spec.value2, s.value2));
  });

  return (
    <>
      <PageHeader title="Preprocess" />
      <p class="lead">Build an ordered list of image operations, preview it on one picture, then run it on the whole upload. The upload itself never changes: the result is a new upload.</p>
      <div class="grid sidebar-right">
        <div class="stack">
          <section class="card" aria-labelledby="source-title">
            <h2 id="source-title">1. Pictures</h2>
            {uploads.loading && <Loading />}
            {uploads.error && <FormErrors messages={[uploads.error.message]} />}
            {uploads.value && (
              <SelectField
                label="Upload to preprocess"
                value={sourceId ? String(sourceId) : ""}
                onValue={(v) => navigate(v ? `/app/preprocess/?data=${v}` : "/app/preprocess/", true)}
                options={[{ value: "", label: "Choose a picture or a zip of pictures…" }, ...uploads.value.map((u) => ({ value: String(u.id), label: `${u.file_name} (#${u.id})` }))]}
              />
            )}
          </section>
          <section class="card" aria-labelledby="steps-title">
            <h2 id="steps-title">2. Operations, in order</h2>
            {operations.loading && <Loading />}
            {operations.error && <FormErrors messages={[operations.error.message]} />}
            {specs.length > 0 && (
              <div class="add-row">
                <SelectField
                  label="Operation"
                  value={adding}
                  onValue={setAdding}
                  options={specs.map((s) => ({ value: s.operationName, label: `${s.operationName} · ${s.name}` }))}
                />
                <Button
                  variant="secondary"
                  onClick={() => {
                    const spec = specOf(adding);
                    if (spec) setSteps([...steps, newStep(spec)]);
                  }}
                >
                  Add step
                </Button>
              </div>
            )}
            <p class="sr-only" aria-live="assertive">
              {announce}
            </p>
            {steps.length === 0 ? (
              <p class="empty">No operations yet: add one above.</p>
            ) : (
              <ol class="steps" aria-label="Operations">
                {steps.map((step, i) => (
                  <StepEditor
                    key={step.key}
                    step={step}
                    spec={specOf(step.operationName)}
                    index={i}
                    count={steps.length}
                    errors={stepErrors}
                    onChange={(s) => setSteps(steps.map((x) => (x.key === s.key ? s : x)))}
                    onMove={(to) => moveStep(i, to)}
                    onRemove={() => setSteps(steps.filter((x) => x.key !== step.key))}
                    dragging={dragged === i}
                    onDragStart={() => setDragged(i)}
                    onDragEnd={() => setDragged(null)}
                    onDropAt={() => {
                      if (dragged !== null) moveStep(dragged, i);
                      setDragged(null);
                    }}
                  />
                ))}
              </ol>
            )}
          </section>
        </div>
        <div class="stack">
          {sourceId && <PreviewAndRun key={sourceId} sourceId={sourceId} steps={steps} invalid={invalid} onErrors={setStepErrors} />}
        </div>
      </div>
    </>
  );
}

function PreviewAndRun({ sourceId, steps, invalid, onErrors }: { sourceId: number; steps: Step[]; invalid: boolean; onErrors: (e: Record<string, string[]>) => void }) {
  const source = useAsync(() => data.content(sourceId), [sourceId]);
  const paths = useMemo(() => (source.value?.kind === "json" ? picturePaths(source.value.json as Tree) : []), [source.value]);
  const [picture, setPicture] = useState<string | null>(null);
  const [preview, setPreview] = useState<PreviewResult | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<PreprocessResult | null>(null);
  useEffect(() => setPicture(paths[0] ?? null), [paths]);

  const isZip = source.value?.kind === "json";
  const ops = toOperations(steps);
  const fail = (e: unknown) => {
    const apiError = asApiError(e);
    setError(apiError);
    onErrors(apiError.fields);
  };
  const runPreview = async () => {
    setPreviewing(true);
    setError(null);
    onErrors({});
    try {
      setPreview(await previewOnPicture(sourceId, isZip ? picture : null, ops));
    } catch (e) {
      fail(e);
    }
    setPreviewing(false);
  };
  const runAll = async () => {
    setRunning(true);
    setError(null);
    setResult(null);
    onErrors({});
    try {
      setResult(await preprocess.run(sourceId, ops));
    } catch (e) {
      fail(e);
    }
    setRunning(false);
  };
  const disabled = steps.length === 0 || invalid;
  return (
    <>
      <section class="card" aria-labelledby="preview-title">
        <h2 id="preview-title">3. Before and after</h2>
        {source.loading && <Loading />}
        {isZip && paths.length > 0 && (
          <SelectField label="Picture" value={picture ?? ""} onValue={setPicture} options={paths.map((p) => ({ value: p, label: p }))} />
        )}
        {error && <FormErrors messages={error.others(Object.keys(error.fields).filter((k) => k.startsWith("operations[")))} />}
        <Button variant="secondary" busy={previewing} busyLabel="Previewing…" disabled={disabled} onClick={runPreview}>
          Preview on this picture
        </Button>
        {preview && <BeforeAfter preview={preview} />}
      </section>
      <section class="card" aria-labelledby="run-title">
        <h2 id="run-title">4. Run</h2>
        <Button busy={running} busyLabel="Running…" disabled={disabled} onClick={runAll}>
          Run on the whole upload
        </Button>
        {result && (
          <Notice kind="success">
            Done: {result.images} picture{result.images === 1 ? "" : "s"} written to upload #{result.data_id}
            {result.skipped?.length ? ` (${result.skipped.length} skipped: not decodable)` : ""}. <a href={`/app/data/${result.data_id}/`}>Open the result</a>
          </Notice>
        )}
      </section>
    </>
  );
}

function BeforeAfter({ preview }: { preview: PreviewResult }) {
  return (
    <div class="before-after">
      <figure>
        <BlobImage blob={preview.before} alt="Before" />
        <figcaption>Before</figcaption>
      </figure>
      {preview.after.map((image, i) => (
        <figure key={i}>
          <BlobImage blob={image.blob} alt={`After: ${image.name}`} />
          <figcaption>{preview.after.length > 1 ? image.name : "After"}</figcaption>
        </figure>
      ))}
    </div>
  );
}

function BlobImage({ blob, alt }: { blob: Blob; alt: string }) {
  const href = useObjectUrl(blob);
  return href ? <img class="pixelated" src={href} alt={alt} /> : null;
}
