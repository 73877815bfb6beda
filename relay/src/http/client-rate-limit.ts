import { RateLimiter } from './rate-limiter.js';
import type { Route, RouteRateLimit } from './route.js';

const CLIENT_RATE_LIMIT_SETTING = 'SWITCHYARD_CLIENT_RATE_LIMIT_PER_MINUTE';

/**
 * Client keys are public (every page holds one), so every route a client key can reach is rate
 * limited for them: the routes without a budget of their own share one per key and client address
 * (OFREP keeps its own). Other keys are not counted: they belong to the operator's servers and tools.
 */
export function withClientRateLimit(routes: readonly Route[], perMinute: number): Route[] {
  const rateLimit: RouteRateLimit = {
    limiter: new RateLimiter(perMinute),
    setting: CLIENT_RATE_LIMIT_SETTING,
    what: 'requests with a client key',
    roles: ['client'],
  };
  return routes.map((route) =>
    reachableByClientKeys(route) && route.rateLimit === undefined ? { ...route, rateLimit } : route,
  );
}

function reachableByClientKeys(route: Route): boolean {
  return route.access !== 'public' && route.access.includes('client');
}
