// Every endpoint the console uses, typed. Pages call these and nothing else.

import { get, post, request, send, url } from "./client";
import { readEvents } from "./sse";
import { uploadForm, type Progress } from "./upload";
import type * as T from "./types";

export { ApiError } from "./errors";
export type { FieldErrors } from "./errors";
export * from "./types";

export const accounts = {
  login: (identity: { username?: string; email?: string }, password: string) =>
    post<{ key: string }>("/rest-auth/login/", { ...identity, password }),
  logout: () => post<{ detail: string }>("/rest-auth/logout/"),
  register: (body: { username: string; email: string; password1: string; password2: string }) =>
    post<{ detail?: string; key?: string }>("/rest-auth/registration/", body),
  verifyEmail: (key: string) => post<{ detail: string }>("/rest-auth/registration/verify-email/", { key }),
  resendEmail: (email: string) => post<{ detail: string }>("/rest-auth/registration/resend-email/", { email }),
  resetPassword: (email: string) => post<{ detail: string }>("/rest-auth/password/reset/", { email }),
  confirmReset: (body: { uid: string; token: string; new_password1: string; new_password2: string }) =>
    post<{ detail: string }>("/rest-auth/password/reset/confirm/", body),
  changePassword: (body: { old_password: string; new_password1: string; new_password2: string }) =>
    post<{ detail: string }>("/rest-auth/password/change/", body),
  user: () => get<T.User>("/rest-auth/user/"),
  updateUser: (body: Partial<Pick<T.User, "username" | "first_name" | "last_name">>) =>
    request<T.User>("PATCH", "/rest-auth/user/", { json: body }),
};

export const data = {
  list: (fileClass?: T.FileClass) => get<T.DataItem[]>("/data/list/", { file_class: fileClass }),
  upload: (
    input: { type: T.FileType; fileClass: T.FileClass; file?: File; url?: string },
    onProgress: Progress,
    signal?: AbortSignal,
  ) => {
    const form = new FormData();
    form.set("file_type", input.type);
    form.set("file_class", input.fileClass);
    if (input.file) form.set("file", input.file);
    if (input.url) form.set("url", input.url);
    return uploadForm<{ data_id: number }>("/data/", form, onProgress, signal);
  },
  /** What `GET /data/<id>/` gives: a zip's tree, a CSV page, or the file itself. */
  content: async (id: number, query: { relative_path?: string; offset?: number; limit?: number } = {}) => {
    const response = await send("GET", `/data/${id}/`, { query, accept: "*/*" });
    const type = response.headers.get("Content-Type") ?? "";
    if (type.startsWith("application/json")) return { kind: "json" as const, json: (await response.json()) as unknown };
    return { kind: "file" as const, blob: await response.blob(), type };
  },
  remove: (id: number) => request<{ message: string } | undefined>("DELETE", `/data/${id}/`),
  /** Link for a browser download; needs the token, so it is fetched as a blob. */
  rawUrl: (id: number, relativePath?: string) => url(`/data/${id}/`, { relative_path: relativePath, raw: 1 }),
};

export const preprocess = {
  operations: () => get<T.OperationSpec[]>("/preprocess/operations/list/"),
  run: (dataId: number, operations: T.OperationStep[]) =>
    post<T.PreprocessResult>("/preprocess/", { dataId, operations }),
};

export const models = {
  list: () => get<T.ModelListItem[]>("/models/list/"),
  detail: (id: number) => get<T.ModelDetail>(`/models/${id}/`),
  create: (modelName: string, dataId?: number) =>
    request<{ id: number; name: string }>("POST", "/data/create/", { json: { modelName, dataId } }),
  remove: (id: number) => request<unknown>("DELETE", `/models/${id}/`),
  uploadLabels: (modelName: string, file: File) => {
    const form = new FormData();
    form.set("modelName", modelName);
    form.set("file", file);
    return request<{ labels: number }>("POST", "/data/tag/", { form });
  },
  saveConfig: (modelName: string, config: T.ModelConfig, dataId?: number | null) =>
    post<T.ModelDetail>("/construct/config/", { modelName, ...config, ...(dataId ? { dataId } : {}) }),
  registry: () => get<T.Registry>("/generation/options/list/"),
  next: (modelName: string, layers: T.LayerConfig[], netType?: string) =>
    get<T.NextOptions>("/generation/options/next/", { model: modelName, layers: JSON.stringify(layers), net_type: netType }),
  generate: (modelName: string, framework: "pytorch" | "keras") =>
    post<{ data_id: number; code: string }>("/generation/generate/", { modelName, framework }),
  compare: (ids: number[]) => get<T.CompareBody>("/models/compare/", { ids: ids.join(",") }),
  predictFile: (id: number, file: Blob) => {
    const form = new FormData();
    form.set("file", file);
    return request<T.PredictBody>("POST", `/models/${id}/predict/`, { form });
  },
  predictFeatures: (id: number, features: number[]) =>
    post<T.PredictBody>(`/models/${id}/predict/`, { features }),
};

export const runs = {
  start: (modelName: string) => request<{ run_id: number; status: T.RunStatus }>("POST", "/generation/run/basic/", { json: { modelName } }),
  details: (runId: number) => get<T.RunDetails>("/generation/run/details/", { run_id: runId }),
  pause: (runId: number) => post<{ run_id: number; status: T.RunStatus }>("/generation/run/pause/", { run_id: runId }),
  resume: (runId: number) => post<{ run_id: number; status: T.RunStatus }>("/generation/run/resume/", { run_id: runId }),
  stop: (runId: number) => post<{ run_id: number; status: T.RunStatus }>("/generation/run/stop/", { run_id: runId }),
  /** The status and the points after `since` (JSON, not the stream): a cheap status check. */
  runtime: (runId: number, since?: number) =>
    get<{ run_id: number; status: T.RunStatus; points: T.MetricPoint[]; final_accuracy: number | null }>("/generation/run/runtime/", { run_id: runId, since }),
  restore: (runId: number) => get<{ run_id: number; model_id: number; step: number }>(`/generation/restore/${runId}/`),
  /** The live stream of a run's points after `since`, ending with its final status. */
  watch: async (
    runId: number,
    since: number | undefined,
    handlers: { point: (p: T.MetricPoint) => void; end: (e: T.RunEnd) => void },
    signal: AbortSignal,
  ) => {
    const response = await send("GET", "/generation/run/runtime/", {
      query: { run_id: runId, since },
      accept: "text/event-stream",
      signal,
    });
    if (!response.body) throw new Error("This browser cannot read a streamed response.");
    await readEvents(response.body, (event) => {
      if (event.event === "point") handlers.point(JSON.parse(event.data) as T.MetricPoint);
      else if (event.event === "end") handlers.end(JSON.parse(event.data) as T.RunEnd);
    });
  },
};

export const cluster = {
  nodes: () => get<T.ClusterNode[]>("/runtime/kubernetes/"),
};
