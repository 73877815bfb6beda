import { useMemo, type ReactElement } from 'react';
import { lineDiff } from '../../flags/line-diff.js';

/** Lines around a change that are shown; longer unchanged stretches fold. */
const CONTEXT_LINES = 3;

/** A readable line diff of two JSON texts: removed lines marked "−", added "+". */
export function DiffView({ before, after, label }: { before: string; after: string; label: string }) {
  const lines = useMemo(() => lineDiff(before, after), [before, after]);
  const near = useMemo(() => {
    const keep = new Array<boolean>(lines.length).fill(false);
    lines.forEach((line, index) => {
      if (line.kind === 'same') return;
      for (let k = Math.max(0, index - CONTEXT_LINES); k <= Math.min(lines.length - 1, index + CONTEXT_LINES); k++)
        keep[k] = true;
    });
    return keep;
  }, [lines]);
  if (!lines.some((line) => line.kind !== 'same')) return <p className="muted">No change.</p>;
  const rows: ReactElement[] = [];
  lines.forEach((line, index) => {
    if (!near[index]) {
      if (index === 0 || near[index - 1])
        rows.push(
          <div key={index} className="diff-fold">
            …
          </div>,
        );
      return;
    }
    const sign = line.kind === 'added' ? '+' : line.kind === 'removed' ? '−' : ' ';
    const words = line.kind === 'added' ? 'added: ' : line.kind === 'removed' ? 'removed: ' : '';
    rows.push(
      <div key={index} className={`diff-line diff-${line.kind}`}>
        <span aria-hidden="true">{sign} </span>
        {words && <span className="visually-hidden">{words}</span>}
        {line.text}
      </div>,
    );
  });
  return (
    <div className="diff" role="region" aria-label={label} tabIndex={0}>
      {rows}
    </div>
  );
}
