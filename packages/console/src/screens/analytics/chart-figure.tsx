import { useId, type ReactNode } from 'react';

/**
 * A chart with its title and the numbers behind it: the picture for the eye, the table (folded)
 * for screen readers and for anyone who wants the figures (omitted when they are shown beside it).
 */
export function ChartFigure({
  title,
  summary,
  chart,
  table,
}: {
  title: string;
  summary: string;
  chart: ReactNode;
  table?: ReactNode;
}) {
  const id = useId();
  return (
    <figure className="chart-figure card" aria-labelledby={`${id}-title`}>
      <figcaption>
        <h3 id={`${id}-title`}>{title}</h3>
        <p className="muted">{summary}</p>
      </figcaption>
      <div className="chart-box">{chart}</div>
      {table !== undefined && (
        <details>
          <summary>The numbers</summary>
          {table}
        </details>
      )}
    </figure>
  );
}
