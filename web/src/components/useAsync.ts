// Loads something when its inputs change, with loading and error states.

import { useCallback, useEffect, useState } from "preact/hooks";
import { ApiError } from "../api";

export interface Async<T> {
  value: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
  set: (value: T) => void;
}

export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    load().then(
      (v) => {
        if (!current) return;
        setValue(v);
        setLoading(false);
      },
      (e: unknown) => {
        if (!current) return;
        setError(e instanceof ApiError ? e : new ApiError(0, { detail: String(e) }));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { value, error, loading, reload, set: setValue };
}

/** The ApiError of a failed action, for showing next to its fields. */
export function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, { detail: String(e) });
}
