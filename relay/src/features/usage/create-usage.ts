import type { EvaluationContext, EvaluationResult } from '@switchyard/core';
import type { Route } from '../../http/route.js';
import type { Logger } from '../../logging/logger.js';
import type { MetricsRegistry } from '../ops/metrics-registry.js';
import type { Store } from '../../store/store.js';
import { scopedEnvironment } from '../../http/key-scope.js';
import type { FlagsService } from '../flags/flags-service.js';
import { UsageRecorder } from './usage-recorder.js';
import { usageRoutes } from './usage-routes.js';
import type { UsageSettings } from './usage-settings.js';

export interface UsageDeps {
  store: Store;
  flags: FlagsService;
  settings: UsageSettings;
  /** SWITCHYARD_ANALYTICS_ENABLED. */
  analyticsEnabled: boolean;
  logger: Logger;
  /** Reads the store's latest flag changes into the relay's cache (the sync's poll). */
  catchUpFlags(): Promise<void>;
  /** Where the usage metrics are registered (`GET /metrics`). */
  metrics?: MetricsRegistry;
}

export interface Usage {
  /** OFREP and the evaluate endpoint count evaluations here (nothing when analytics are off). */
  recorder: UsageRecorder;
  /** For EvaluateService.onEvaluated. */
  onEvaluated(environment: string, result: EvaluationResult, context: EvaluationContext): void;
  routes: Route[];
  /** Writes what is pending; call once the flush job has stopped, before closing the store. */
  stop(): Promise<void>;
}

/** Wires usage ingestion: the recorder (its flush is the `usage-flush` job) and the usage route. */
export function createUsage(deps: UsageDeps): Usage {
  const flushFailures = deps.metrics?.counter(
    'switchyard_usage_flush_failures_total',
    'Writes of aggregated usage to the store that failed (retried with the next flush).',
  );
  const recorder = new UsageRecorder(deps.store.usage, deps.settings, Date.now, (error) => {
    flushFailures?.inc();
    deps.logger.warn('usage flush failed; retrying with the next flush', { error, pendingKeys: recorder.pendingKeys });
  });
  const unknownFlagBatches = deps.metrics?.counter(
    'switchyard_usage_unknown_flag_batches_total',
    'Usage batches that named flags the environment does not have (those entries were not counted), by environment.',
    ['environment'],
  );
  deps.metrics?.gauge(
    'switchyard_usage_pending_keys',
    'Usage buckets and unique sets awaiting a write to the store.',
    () => recorder.pendingKeys,
  );
  return {
    recorder,
    onEvaluated(environment, result, context) {
      if (!deps.analyticsEnabled) return;
      recorder.recordEvaluation(environment, result, context.targetingKey);
    },
    routes: [
      ...usageRoutes({
        recorder,
        settings: deps.settings,
        maxFlagNameLength: deps.flags.limits.maxNameLength,
        analyticsEnabled: deps.analyticsEnabled,
        environmentOf: (principal, requested) =>
          deps.flags.environmentOf(scopedEnvironment(principal, requested), 'environment'),
        flagVariants: (environment, flagName, audience) => deps.flags.variantsIn(flagName, environment, audience),
        catchUp: deps.catchUpFlags,
        onUnknownFlags(environment, flagNames) {
          unknownFlagBatches?.inc([environment]);
          deps.logger.debug('usage named flags the environment does not have; their entries were not counted', {
            environment,
            flagNames,
          });
        },
        onUnknownVariants(environment, variants) {
          deps.logger.debug('usage named variants their flags do not have; their entries were not counted', {
            environment,
            variants,
          });
        },
      }),
    ],
    async stop() {
      await recorder.stop().catch((error: unknown) =>
        deps.logger.error('usage could not be written at shutdown and is lost', {
          error,
          pendingKeys: recorder.pendingKeys,
        }),
      );
    },
  };
}
