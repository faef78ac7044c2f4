import { useId } from "preact/hooks";
import type { ParamSpec } from "../../api";
import { FieldErrors } from "../../components/forms";
import { rangeHint, type FormValues } from "../../lib/layers";

/** A form control generated from a parameter's spec: its type, range, choices, default. */
export function ParamInput({ spec, values, onValues, errors }: { spec: ParamSpec; values: FormValues; onValues: (v: FormValues) => void; errors?: string[] | undefined }) {
  const id = useId();
  const set = (key: string, value: string) => onValues({ ...values, [key]: value });
  const hint = [spec.meaning, rangeHint(spec), spec.default !== null && spec.default !== undefined ? `default ${String(spec.default)}` : ""].filter(Boolean).join("; ");
  if (spec.type === "int_list") {
    return (
      <fieldset class={`field param-list${errors?.length ? " has-error" : ""}`}>
        <legend>
          {spec.name} <span class="muted">{spec.meaning}</span>
        </legend>
        <div class="inline-fields">
          {(spec.items ?? []).map((item) => (
            <NumberBox key={item.name} id={`${id}-${item.name}`} spec={item} label={item.name.replace(/_/g, " ")} value={values[`${spec.name}.${item.name}`] ?? ""} onValue={(v) => set(`${spec.name}.${item.name}`, v)} />
          ))}
        </div>
        <FieldErrors messages={errors} />
      </fieldset>
    );
  }
  if (spec.type === "choice") {
    const options = [...(spec.required || spec.default !== null ? [] : [{ value: "", label: "none" }]), ...(spec.choices ?? []).map((c) => ({ value: c, label: c }))];
    return (
      <div class={`field${errors?.length ? " has-error" : ""}`}>
        <label for={id}>{spec.name.replace(/_/g, " ")}</label>
        <select id={id} value={values[spec.name] ?? ""} onChange={(e) => set(spec.name, (e.target as HTMLSelectElement).value)} aria-describedby={`${id}-hint`}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
        <FieldErrors messages={errors} />
      </div>
    );
  }
  return (
    <div class={`field${errors?.length ? " has-error" : ""}`}>
      <NumberBox id={id} spec={spec} label={spec.name.replace(/_/g, " ")} value={values[spec.name] ?? ""} onValue={(v) => set(spec.name, v)} describedBy={`${id}-hint`} invalid={!!errors?.length} />
      <p class="hint" id={`${id}-hint`}>
        {hint}
      </p>
      <FieldErrors messages={errors} />
    </div>
  );
}

function NumberBox(props: { id: string; spec: ParamSpec; label: string; value: string; onValue: (v: string) => void; describedBy?: string; invalid?: boolean }) {
  const { spec } = props;
  return (
    <span class="number-box">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="number"
        step={spec.type === "int" ? 1 : "any"}
        min={spec.min}
        max={spec.max}
        placeholder={spec.required ? "required" : "default"}
        title={rangeHint(spec) || undefined}
        value={props.value}
        aria-invalid={props.invalid ? "true" : undefined}
        aria-describedby={props.describedBy}
        onInput={(e) => props.onValue((e.target as HTMLInputElement).value)}
      />
    </span>
  );
}
