import type { Route } from '../../http/route.js';
import type { Store } from '../../store/store.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';
import type { UsageSettings } from '../usage/usage-settings.js';
import { analyticsRoutes } from './analytics-routes.js';
import { AnalyticsService } from './analytics-service.js';

export interface AnalyticsDeps {
  store: Store;
  /** The usage slice's recorder: what it has not written yet counts too. */
  recorder: UsageRecorder;
  settings: UsageSettings;
  /** SWITCHYARD_ANALYTICS_ENABLED. */
  analyticsEnabled: boolean;
  maxFlagNameLength: number;
  /** Throws the 400 for an environment the relay does not know (FlagsService.environmentOf). */
  checkEnvironment(environment: string, path: string): void;
}

/** Wires the analytics routes (per-flag usage, experiments, stale flags) over the usage the usage slice records. */
export function createAnalytics(deps: AnalyticsDeps): Route[] {
  const { store, recorder, settings } = deps;
  const analytics = new AnalyticsService({ flags: store.flags, usage: store.usage, recorder, settings });
  return analyticsRoutes({
    analytics,
    staleFlags: { flags: store.flags, usage: store.usage, recorder },
    settings,
    analyticsEnabled: deps.analyticsEnabled,
    maxFlagNameLength: deps.maxFlagNameLength,
    checkEnvironment: deps.checkEnvironment,
  });
}
