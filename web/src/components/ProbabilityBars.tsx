// Class probabilities, most likely first, as labelled bars.

export function ProbabilityBars({ probabilities, label }: { probabilities: Record<string, number>; label: string }) {
  const rows = Object.entries(probabilities).sort((a, b) => b[1] - a[1]);
  return (
    <ol class="probabilities" aria-label="Class probabilities">
      {rows.map(([name, p]) => (
        <li key={name} class={name === label ? "top" : undefined}>
          <span class="class-name">{name}</span>
          <span class="bar" aria-hidden="true">
            <span style={{ width: `${(p * 100).toFixed(1)}%` }} />
          </span>
          <span class="value">{(p * 100).toFixed(1)}%</span>
        </li>
      ))}
    </ol>
  );
}
