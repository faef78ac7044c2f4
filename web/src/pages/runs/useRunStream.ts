// A run's metric points, kept live: the points so far from the details, then the
// event stream for new ones (read with fetch, since it needs the token). Points that
// arrive together are applied once per frame.

import { useEffect, useRef, useState } from "preact/hooks";
import { runs, type MetricPoint, type RunEnd, type RunStatus } from "../../api";

export interface Curves {
  steps: number[];
  accuracy: number[];
  loss: number[];
  /** Seconds of training up to each point. */
  seconds: number;
}

const LIVE: RunStatus[] = ["queued", "running", "paused"];

export function isLive(status: RunStatus): boolean {
  return LIVE.includes(status);
}

export function useRunStream(runId: number, initial: MetricPoint[] | undefined, status: RunStatus | undefined, onEnd: (e: RunEnd) => void) {
  const [curves, setCurves] = useState<Curves>({ steps: [], accuracy: [], loss: [], seconds: 0 });
  const [streaming, setStreaming] = useState(false);
  const pending = useRef<MetricPoint[]>([]);
  const last = useRef<number | undefined>(undefined);
  const frame = useRef(0);
  const endRef = useRef(onEnd);
  endRef.current = onEnd;

  useEffect(() => {
    if (!initial) return;
    last.current = initial.at(-1)?.step;
    setCurves({
      steps: initial.map((p) => p.step),
      accuracy: initial.map((p) => p.accuracy),
      loss: initial.map((p) => p.loss),
      seconds: initial.reduce((sum, p) => sum + p.duration, 0),
    });
  }, [initial]);

  const live = status !== undefined && isLive(status);
  useEffect(() => {
    if (!initial || !live) return;
    const abort = new AbortController();
    const flush = () => {
      frame.current = 0;
      const batch = pending.current;
      pending.current = [];
      setCurves((c) => ({
        steps: [...c.steps, ...batch.map((p) => p.step)],
        accuracy: [...c.accuracy, ...batch.map((p) => p.accuracy)],
        loss: [...c.loss, ...batch.map((p) => p.loss)],
        seconds: c.seconds + batch.reduce((sum, p) => sum + p.duration, 0),
      }));
    };
    setStreaming(true);
    runs
      .watch(
        runId,
        last.current,
        {
          point: (p) => {
            if (last.current !== undefined && p.step <= last.current) return;
            last.current = p.step;
            pending.current.push(p);
            if (!frame.current) frame.current = requestAnimationFrame(flush);
          },
          end: (e) => endRef.current(e),
        },
        abort.signal,
      )
      .catch(() => undefined)
      .finally(() => setStreaming(false));
    return () => {
      abort.abort();
      if (frame.current) cancelAnimationFrame(frame.current);
      frame.current = 0;
    };
  }, [runId, initial, live]);

  return { curves, streaming };
}
