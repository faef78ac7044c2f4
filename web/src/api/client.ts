// The one place that talks HTTP: paths are relative to this origin, the login key goes
// in the Authorization header, and every error body becomes an ApiError.

import { token, signOutLocally } from "../session";
import { ApiError } from "./errors";

export type Query = Record<string, string | number | undefined | null>;

export interface RequestOptions {
  json?: unknown;
  form?: FormData;
  query?: Query;
  signal?: AbortSignal;
  accept?: string;
}

export function url(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export function authHeaders(): Record<string, string> {
  const key = token();
  return key ? { Authorization: `Token ${key}` } : {};
}

/** A key the server no longer accepts means this browser is signed out. */
export function noteUnauthorized(status: number, body: unknown): void {
  if (status === 401 && token() && (body as { detail?: string })?.detail === "Invalid token.") signOutLocally();
}

export async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: options.accept ?? "application/json", ...authHeaders() };
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.form) {
    body = options.form;
  }
  let response: Response;
  try {
    response = await fetch(url(path, options.query), { method, headers, body, signal: options.signal });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError(0, { detail: "The server cannot be reached." });
  }
  if (!response.ok) {
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { detail: text || `The server answered ${response.status}.` };
    }
    noteUnauthorized(response.status, parsed);
    throw new ApiError(response.status, parsed);
  }
  return response;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) =>
  request<T>("GET", path, { query, signal });
export const post = <T>(path: string, json?: unknown) => request<T>("POST", path, { json: json ?? {} });
