import { useId } from "preact/hooks";
import type { OperationSpec, PreprocessParam } from "../../api";
import { FieldErrors } from "../../components/forms";
import { checkValue, type Step } from "../../lib/operations";

/** One step of the pipeline: its values (typed, ranged), overlap, move and remove. */
export function StepEditor(props: {
  step: Step;
  spec: OperationSpec | undefined;
  index: number;
  count: number;
  errors: Record<string, string[]>;
  onChange: (step: Step) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
  dragging: boolean;
  onDragStart: () => void;
  onDragEnd: () => void;
  onDropAt: () => void;
}) {
  const { step, spec, index, count } = props;
  const name = spec ? `${spec.operationName} · ${spec.name}` : step.operationName;
  const fieldErrors = (key: string) => props.errors[`operations[${index}].${key}`];
  const keys = (e: KeyboardEvent) => {
    if (e.key === "ArrowUp" || e.key === "ArrowDown") {
      e.preventDefault();
      props.onMove(index + (e.key === "ArrowUp" ? -1 : 1));
    }
  };
  return (
    <li
      class={`step${props.dragging ? " dragging" : ""}`}
      draggable
      onDragStart={(e) => {
        e.dataTransfer?.setData("text/plain", String(index));
        props.onDragStart();
      }}
      onDragEnd={props.onDragEnd}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        props.onDropAt();
      }}
    >
      <div class="step-head">
        <button
          type="button"
          class="handle"
          aria-label={`Step ${index + 1} of ${count}, ${name}: drag, or press the up and down arrow keys to move it`}
          onKeyDown={keys}
        >
          ⠿
        </button>
        <span class="step-number" aria-hidden="true">
          {index + 1}
        </span>
        <strong>{name}</strong>
        <span class="spacer" />
        <button type="button" class="icon-btn" aria-label={`Move ${name} up`} disabled={index === 0} onClick={() => props.onMove(index - 1)}>
          ↑
        </button>
        <button type="button" class="icon-btn" aria-label={`Move ${name} down`} disabled={index === count - 1} onClick={() => props.onMove(index + 1)}>
          ↓
        </button>
        <button type="button" class="icon-btn" aria-label={`Remove ${name}`} onClick={props.onRemove}>
          ✕
        </button>
      </div>
      {spec?.description && <p class="hint">{spec.description}</p>}
      <div class="step-body">
        {spec?.value1 && (
          <ValueInput label="value1" param={spec.value1} value={step.value1} errors={fieldErrors("value1")} onValue={(v) => props.onChange({ ...step, value1: v })} />
        )}
        {spec?.value2 && (
          <ValueInput label="value2" param={spec.value2} value={step.value2} errors={fieldErrors("value2")} onValue={(v) => props.onChange({ ...step, value2: v })} />
        )}
        <label class="check">
          <input type="checkbox" checked={step.overlap} onChange={(e) => props.onChange({ ...step, overlap: (e.target as HTMLInputElement).checked })} />
          Overlap: chain on from this result
        </label>
        <p class="hint">{step.overlap ? "The next step works on this step's output." : "This step's output is kept as an extra copy; the chain goes on without it."}</p>
        <FieldErrors messages={[...(fieldErrors("operationName") ?? []), ...(fieldErrors("overlap") ?? [])]} />
      </div>
    </li>
  );
}

function ValueInput({ label, param, value, errors, onValue }: { label: string; param: PreprocessParam; value: number | null; errors: string[] | undefined; onValue: (v: number | null) => void }) {
  const id = useId();
  const local = checkValue(param, value);
  const messages = [...(local ? [local] : []), ...(errors ?? [])];
  const hint = `${param.type === "integer" ? "whole number" : "number"} from ${param.min} to ${param.max}${param.odd ? ", odd" : ""}${
    param.default !== null ? `; default ${param.default}` : param.default_note ? `; ${param.default_note}` : ""
  }`;
  return (
    <div class={`field${messages.length ? " has-error" : ""}`}>
      <label for={id}>
        {param.meaning} <span class="muted">({label})</span>
      </label>
      <input
        id={id}
        type="number"
        inputMode={param.type === "integer" ? "numeric" : "decimal"}
        min={param.min}
        max={param.max}
        step={param.type === "integer" ? (param.odd ? 2 : 1) : "any"}
        value={value ?? ""}
        aria-invalid={messages.length ? "true" : undefined}
        aria-describedby={`${id}-hint`}
        onInput={(e) => {
          const text = (e.target as HTMLInputElement).value;
          onValue(text === "" ? null : Number(text));
        }}
      />
      <p class="hint" id={`${id}-hint`}>
        {hint}
      </p>
      <FieldErrors messages={messages} />
    </div>
  );
}
