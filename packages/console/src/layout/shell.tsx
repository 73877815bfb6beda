import { useEffect, useRef, type MouseEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { useSession } from '../auth/session.js';
import { LiveUpdates, useLiveState } from '../live/live-updates.js';
import { AppRoutes } from './app-routes.js';
import { NAVIGATION, type NavEntry } from './screens.js';

/** The signed-in console: a skip link, the header with navigation and sign-out, and the screen. */
export function Shell() {
  const session = useSession();
  const [location] = useLocation();
  const first = useRef(true);
  // A new screen takes the focus (as a page load would), so keyboard and screen-reader users start on it.
  useEffect(() => {
    if (first.current) first.current = false;
    else document.getElementById('main')?.focus();
  }, [location]);
  return (
    <LiveUpdates>
      <a className="skip-link" href="#main" onClick={focusMain}>
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand">Switchyard</span>
        <nav aria-label="Main">
          <ul>
            {NAVIGATION.filter((entry) => entry.shownTo(session)).map((entry) => (
              <li key={entry.href}>
                <Link href={entry.href} aria-current={isCurrent(entry, location) ? 'page' : undefined}>
                  {entry.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <LiveIndicator />
          <span className="role-badge" title={`Signed in as ${session.whoami.key.name}`}>
            {session.whoami.key.name} · {session.role}
          </span>
          <button type="button" onClick={session.signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <AppRoutes />
      </main>
    </LiveUpdates>
  );
}

/** Whether changes made elsewhere show up by themselves right now. */
function LiveIndicator() {
  const state = useLiveState();
  const text = state === 'live' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  return (
    <span
      className={`live-indicator live-${state}`}
      role="status"
      title="Changes made elsewhere appear here without reloading"
    >
      {text}
    </span>
  );
}

function isCurrent(entry: NavEntry, location: string): boolean {
  if (entry.href === '/') return location === '/' || location.startsWith('/flags/');
  return location === entry.href || location.startsWith(`${entry.href}/`);
}

/** The skip link moves focus without changing the hash (the hash is the router's). */
function focusMain(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  document.getElementById('main')?.focus();
}
