// Form pieces: a labelled field with its hint and the API's messages for it, the
// messages no field claims, and a button that shows it is busy.

import type { ComponentChildren, JSX } from "preact";
import { useId } from "preact/hooks";

export function FieldErrors({ id, messages }: { id?: string; messages: string[] | undefined }) {
  if (!messages?.length) return null;
  return (
    <div role="alert" id={id}>
      <ul class="field-errors">
        {messages.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    </div>
  );
}

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, "label" | "onInput" | "value"> & {
  label: string;
  errors?: string[] | undefined;
  hint?: string;
  value: string;
  onValue: (value: string) => void;
};

export function TextField({ label, errors, hint, value, onValue, ...input }: InputProps) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : "", errors?.length ? `${id}-errors` : ""].filter(Boolean).join(" ");
  return (
    <div class={`field${errors?.length ? " has-error" : ""}`}>
      <label for={id}>{label}</label>
      <input
        id={id}
        {...input}
        value={value}
        aria-invalid={errors?.length ? "true" : undefined}
        aria-describedby={describedBy || undefined}
        onInput={(e) => onValue((e.target as HTMLInputElement).value)}
      />
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldErrors id={`${id}-errors`} messages={errors} />
    </div>
  );
}

export function SelectField(props: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  options: { value: string; label: string }[];
  errors?: string[] | undefined;
  hint?: string;
  name?: string;
}) {
  const id = useId();
  return (
    <div class={`field${props.errors?.length ? " has-error" : ""}`}>
      <label for={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        value={props.value}
        aria-invalid={props.errors?.length ? "true" : undefined}
        onChange={(e) => props.onValue((e.target as HTMLSelectElement).value)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.hint && <p class="hint">{props.hint}</p>}
      <FieldErrors messages={props.errors} />
    </div>
  );
}

export function FormErrors({ messages }: { messages: string[] }) {
  if (!messages.length) return null;
  return (
    <div class="alert alert-error" role="alert">
      {messages.map((m) => (
        <p key={m}>{m}</p>
      ))}
    </div>
  );
}

export function Notice({ kind = "info", children }: { kind?: "info" | "success" | "error"; children: ComponentChildren }) {
  return (
    <div class={`alert alert-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

export function Button({
  busy,
  busyLabel,
  children,
  variant = "primary",
  ...rest
}: Omit<JSX.ButtonHTMLAttributes<HTMLButtonElement>, "type"> & {
  busy?: boolean;
  busyLabel?: string;
  variant?: "primary" | "secondary" | "danger" | "ghost";
  type?: "button" | "submit";
}) {
  return (
    <button
      type="button"
      {...rest}
      class={`btn btn-${variant}${rest.class ? ` ${rest.class}` : ""}`}
      disabled={busy || rest.disabled}
      aria-busy={busy ? "true" : undefined}
    >
      {busy && <span class="spinner" aria-hidden="true" />}
      {busy && busyLabel ? busyLabel : children}
    </button>
  );
}
