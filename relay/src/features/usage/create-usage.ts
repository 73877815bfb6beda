import type { EvaluationContext, EvaluationResult } from '@switchyard/core';
import type { Route } from '../../http/route.js';
import type { Logger } from '../../logging/logger.js';
import { Counter, type Registry } from 'prom-client';
import { scrapedGauge } from '../ops/relay-metrics.js';
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
  metrics?: Registry;
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
  const registers = deps.metrics === undefined ? [] : [deps.metrics];
  const flushFailures = new Counter({
    name: 'switchyard_usage_flush_failures_total',
    help: 'Writes of aggregated usage to the store that failed (retried with the next flush).',
    registers,
  });
  const recorder = new UsageRecorder(deps.store.usage, deps.settings, Date.now, (error) => {
    flushFailures.inc();
    deps.logger.warn({ error, pendingKeys: recorder.pendingKeys }, 'usage flush failed; retrying with the next flush');
  });
  const unknownFlagBatches = new Counter({
    name: 'switchyard_usage_unknown_flag_batches_total',
    help: 'Usage batches that named flags the environment does not have (those entries were not counted), by environment.',
    labelNames: ['environment'] as const,
    registers,
  });
  if (deps.metrics !== undefined)
    scrapedGauge(
      deps.metrics,
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
          unknownFlagBatches.inc({ environment });
          deps.logger.debug(
            {
              environment,
              flagNames,
            },
            'usage named flags the environment does not have; their entries were not counted',
          );
        },
        onUnknownVariants(environment, variants) {
          deps.logger.debug(
            {
              environment,
              variants,
            },
            'usage named variants their flags do not have; their entries were not counted',
          );
        },
      }),
    ],
    async stop() {
      await recorder.stop().catch((error: unknown) =>
        deps.logger.error(
          {
            error,
            pendingKeys: recorder.pendingKeys,
          },
          'usage could not be written at shutdown and is lost',
        ),
      );
    },
  };
}
