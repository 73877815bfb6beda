import { configDiff, valueText } from './config-diff.js';
import './config-diff.css';

/** The changes between two configurations as a list: place, old value struck through, new value. */
export function ConfigDiffView({
  before,
  after,
  emptyText = 'No change of configuration.',
}: {
  before: unknown;
  after: unknown;
  emptyText?: string;
}) {
  const changes = configDiff(before, after);
  if (changes.length === 0) return <p className="muted">{emptyText}</p>;
  return (
    <ul className="config-diff">
      {changes.map((change) => (
        <li key={change.path}>
          <span className="diff-path">{change.path}</span>{' '}
          <span className="diff-values">
            <del aria-label={`was ${valueText(change.before)}`}>{valueText(change.before)}</del>
            <span aria-hidden="true"> → </span>
            <ins aria-label={`now ${valueText(change.after)}`}>{valueText(change.after)}</ins>
          </span>
        </li>
      ))}
    </ul>
  );
}
