import { useEffect, useState } from 'react';
import { Router } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { SignIn } from './auth/sign-in.js';
import { useSessionState } from './auth/session.js';
import { Shell } from './layout/shell.js';

/** Signed in: the console; else the sign-in form (after trying a key this tab kept). */
export function App() {
  const { session, resume } = useSessionState();
  const [resuming, setResuming] = useState(true);
  useEffect(() => {
    void resume().finally(() => setResuming(false));
  }, [resume]);
  if (resuming && session === undefined)
    return (
      <p className="muted" role="status">
        Loading…
      </p>
    );
  if (session === undefined) return <SignIn />;
  return (
    <Router hook={useHashLocation}>
      <Shell />
    </Router>
  );
}
