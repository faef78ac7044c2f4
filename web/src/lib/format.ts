// Numbers and dates as people read them.

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB"];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** 59800 -> "59,800"; 1234567 -> "1.23 M" when compact. */
export function count(n: number, compact = false): string {
  if (compact && n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (compact && n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (compact && n >= 1e4) return `${(n / 1e3).toFixed(1)} k`;
  return n.toLocaleString("en-US");
}

export function percent(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined ? "–" : `${(x * 100).toFixed(digits)}%`;
}

export function shape(s: number[]): string {
  return s.join(" × ");
}

export function date(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
}

export function seconds(s: number): string {
  if (s < 1) return `${(s * 1000).toFixed(0)} ms`;
  if (s < 120) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
