import { ApiError } from '../api/problem.js';

/** An error in one line, with the relay's own words (its `detail`). */
export function ErrorLine({ error, prefix }: { error: unknown; prefix?: string }) {
  const text = error instanceof Error ? error.message : String(error);
  const status = error instanceof ApiError ? ` (${error.status})` : '';
  return (
    <p className="error-line" role="alert">
      {prefix === undefined ? '' : `${prefix}: `}
      {text}
      {status}
    </p>
  );
}
