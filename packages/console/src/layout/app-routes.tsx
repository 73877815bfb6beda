import { Suspense } from 'react';
import { Route, Switch } from 'wouter';
import { useSession } from '../auth/session.js';
import { FlagsListScreen } from '../screens/flags/flags-list-screen.js';
import {
  AnalyticsScreen,
  ApiKeysScreen,
  AuditScreen,
  FlagDetailScreen,
  HistoryScreen,
  StaleScreen,
} from './screens.js';

/**
 * The console's screens by hash path (`#/flags/new-dashboard`): the relay serves one index.html at
 * `/`, and no console path can shadow a relay route (JSON API, OFREP, stream, /healthz, /metrics).
 */
export function AppRoutes() {
  const session = useSession();
  return (
    <Suspense
      fallback={
        <p className="muted" role="status">
          Loading…
        </p>
      }
    >
      <Switch>
        <Route path="/">
          <FlagsListScreen />
        </Route>
        <Route path="/flags/:name">{(params) => <FlagDetailScreen flagName={decodeURIComponent(params.name)} />}</Route>
        <Route path="/flags/:name/history">
          {(params) => <HistoryScreen flagName={decodeURIComponent(params.name)} />}
        </Route>
        <Route path="/audit">
          <AuditScreen />
        </Route>
        <Route path="/analytics">
          <AnalyticsScreen />
        </Route>
        <Route path="/analytics/:name">
          {(params) => <AnalyticsScreen flagName={decodeURIComponent(params.name)} />}
        </Route>
        <Route path="/stale">
          <StaleScreen />
        </Route>
        {session.canManageKeys && (
          <Route path="/api-keys">
            <ApiKeysScreen />
          </Route>
        )}
        <Route>
          <section aria-labelledby="screen-title">
            <h1 id="screen-title">Not found</h1>
            <p>This page does not exist{session.canManageKeys ? '' : ' or needs an admin key'}.</p>
          </section>
        </Route>
      </Switch>
    </Suspense>
  );
}
