// A confusion matrix as a table whose cells are shaded by their share of the row.

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
                  const share = n / total;
                  // Dark cells get light text so the count stays readable.
                  const style = {
                    backgroundColor: `rgba(31, 79, 209, ${(0.06 + share * 0.94).toFixed(3)})`,
                    color: share > 0.5 ? "#fff" : "#1b2233",
                  };
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
