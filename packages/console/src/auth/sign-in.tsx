import { useId, useState, type FormEvent } from 'react';
import { NetworkError, UnauthorizedError } from '../api/problem.js';
import { NotAConsoleKeyError, useSessionState } from './session.js';

/** The sign-in form: one field labelled "API key". A refusal is said in one line. */
export function SignIn() {
  const { signIn } = useSessionState();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const fieldId = useId();
  const errorId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(key.trim());
    } catch (caught) {
      setError(signInMessage(caught));
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <form className="card sign-in-card" onSubmit={submit} aria-labelledby={`${fieldId}-title`}>
        <h1 id={`${fieldId}-title`}>Switchyard console</h1>
        <p className="muted">Sign in with an admin, editor or viewer API key. It is kept in this tab only.</p>
        <label htmlFor={fieldId}>API key</label>
        <input
          id={fieldId}
          name="api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          required
          value={key}
          onChange={(event) => setKey(event.target.value)}
          aria-invalid={error !== undefined}
          aria-describedby={error === undefined ? undefined : errorId}
        />
        {error !== undefined && (
          <p id={errorId} className="error-line" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || key.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

function signInMessage(error: unknown): string {
  if (error instanceof UnauthorizedError) return 'This API key is unknown or revoked.';
  if (error instanceof NotAConsoleKeyError) return `${error.message}.`;
  if (error instanceof NetworkError) return 'The relay could not be reached; try again.';
  return error instanceof Error ? error.message : 'Sign-in failed.';
}
