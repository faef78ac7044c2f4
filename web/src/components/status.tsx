// Loading and progress indicators.

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  const share = max > 0 ? Math.min(1, value / max) : 0;
  return (
    <div class="progress">
      <div class="progress-label">
        <span>{label}</span>
        <span>{Math.round(share * 100)}%</span>
      </div>
      <progress value={value} max={max || 1} aria-label={label} />
    </div>
  );
}

const STATUS_TONE: Record<string, string> = {
  completed: "good",
  running: "live",
  queued: "wait",
  paused: "wait",
  interrupted: "warn",
  stopped: "muted",
  failed: "bad",
  configured: "muted",
  new: "muted",
};

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${STATUS_TONE[status] ?? "muted"}`}>{status}</span>;
}
