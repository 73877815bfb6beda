import { errorText } from './error-text.js';

/** What a screen shows while its query waits or after it failed, said the same way on every screen. */
export function QueryStatus({ query }: { query: { isPending: boolean; isError: boolean; error: unknown } }) {
  if (query.isPending)
    return (
      <p className="muted" role="status">
        Loading…
      </p>
    );
  if (query.isError)
    return (
      <p className="error-line" role="alert">
        {errorText(query.error)}
      </p>
    );
  return null;
}
