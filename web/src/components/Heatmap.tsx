// A confusion matrix as a table whose cells are shaded by their share of the row.

import { shade } from "../lib/shade";

export function Heatmap({ classes, matrix }: { classes: string[]; matrix: number[][] }) {
  const label = (i: number) => classes[i] ?? String(i);
  return (
    <div class="heatmap-wrap">
      <table class="heatmap">
        <caption>Confusion matrix (test split): rows are the true class, columns the predicted one</caption>
        <thead>
          <tr>
            <th scope="col">true \ predicted</th>
            {matrix[0]?.map((_, j) => (
              <th scope="col" key={j}>
                {label(j)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.map((row, i) => {
            const total = row.reduce((a, b) => a + b, 0) || 1;
            return (
              <tr key={i}>
                <th scope="row">{label(i)}</th>
                {row.map((n, j) => {
                  const { background, text } = shade(n / total);
                  const style = { backgroundColor: background, color: text };
                  return (
                    <td key={j} style={style} class={i === j ? "diagonal" : undefined} title={`${label(i)} → ${label(j)}: ${n}`}>
                      {n}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
