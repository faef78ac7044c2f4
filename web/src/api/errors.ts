// The API's error bodies (Django REST Framework's shape) turned into messages per
// field. Nested errors are flattened to paths: {"operations": [{}, {"value1": ["x"]}]}
// gives "operations[1].value1".

export type FieldErrors = Record<string, string[]>;

export class ApiError extends Error {
  readonly status: number;
  readonly fields: FieldErrors;
  readonly body: unknown;

  constructor(status: number, body: unknown) {
    const fields = flattenErrors(body);
    super(summarize(status, fields));
    this.status = status;
    this.fields = fields;
    this.body = body;
  }

  /** Messages for one field (exact key). */
  field(name: string): string[] {
    return this.fields[name] ?? [];
  }

  /** Messages not claimed by any of `known` fields: shown at the top of a form. */
  others(known: string[]): string[] {
    return Object.entries(this.fields)
      .filter(([key]) => !known.includes(key))
      .flatMap(([key, messages]) =>
        key === "detail" || key === "non_field_errors" ? messages : messages.map((m) => `${key}: ${m}`),
      );
  }
}

export function flattenErrors(body: unknown, prefix = ""): FieldErrors {
  const out: FieldErrors = {};
  const add = (key: string, message: string) => {
    (out[key] ??= []).push(message);
  };
  const walk = (value: unknown, path: string) => {
    if (typeof value === "string") add(path || "detail", value);
    else if (Array.isArray(value)) {
      if (value.every((v) => typeof v === "string")) value.forEach((v) => add(path || "detail", v as string));
      else value.forEach((v, i) => walk(v, `${path}[${i}]`));
    } else if (value && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
    }
  };
  walk(body, prefix);
  return out;
}

function summarize(status: number, fields: FieldErrors): string {
  const first = Object.values(fields)[0]?.[0];
  if (first) return first;
  if (status === 0) return "The server cannot be reached.";
  return `The server answered ${status}.`;
}
