import { z } from 'zod';
import { HttpError } from '../../http/http-errors.js';
import { defineRoute, type Principal, type Route } from '../../http/route.js';
import { splitByKnownFlags } from './known-flags.js';
import { usageBatchSchema } from './usage-batch-schema.js';
import { UsageBackpressureError } from './usage-errors.js';
import type { UsageRecorder } from './usage-recorder.js';
import type { UsageSettings } from './usage-settings.js';

export interface UsageRouteDeps {
  recorder: UsageRecorder;
  settings: UsageSettings;
  analyticsEnabled: boolean;
  /** The environment a batch is for: the key's own, else the batch's, else the default; 400 when unknown. */
  environmentOf(principal: Principal, requested: string | undefined): string;
  /** Whether the environment has the flag (configured for it by name or `*`), as this relay knows now. */
  flagExists(environment: string, flagName: string): boolean;
  /** Reads the store's latest flag changes (another relay may have just created a flag the batch names). */
  catchUp(): Promise<void>;
  /** Told of each batch that named flags the environment does not have. */
  onUnknownFlags?(environment: string, flagNames: readonly string[]): void;
}

const acceptedSchema = z.object({
  environment: z.string(),
  accepted: z.object({
    evaluations: z.number().int(),
    errors: z.number().int(),
    events: z.number().int(),
    unattributedEvents: z.number().int(),
    droppedBySender: z.number().int(),
  }),
  unknownFlags: z.array(z.string()).meta({ description: 'Flags the environment does not have: their entries were not counted.' }),
});

/** The seed's `feature_flags.enable_analytics = false`. */
export function analyticsDisabled(): HttpError {
  return new HttpError(403, 'ANALYTICS_DISABLED', 'Forbidden', 'usage analytics are switched off on this relay (SWITCHYARD_ANALYTICS_ENABLED=false)');
}

/** `POST /api/v1/usage`: batches from providers (server and client keys of the environment, or admin). */
export function usageRoutes(deps: UsageRouteDeps): Route[] {
  return [
    defineRoute({
      method: 'post', path: '/api/v1/usage', operationId: 'ingestUsage', summary: 'Send usage', tag: 'Analytics',
      access: ['admin', 'server', 'client'],
      body: usageBatchSchema(deps.settings),
      bodyLimit: { maxBodyBytes: deps.settings.maxBodyBytes, setting: 'SWITCHYARD_USAGE_MAX_BODY_BYTES' },
      responses: {
        202: {
          description: 'Taken: aggregated now, written to the store within SWITCHYARD_USAGE_FLUSH_INTERVAL_MS. Entries for flags the environment does not have are not counted and are listed in unknownFlags.',
          schema: acceptedSchema,
        },
        503: { description: 'Too much usage awaits a write; retry after `Retry-After` seconds.' },
      },
      async handle({ body, principal }) {
        if (!deps.analyticsEnabled) throw analyticsDisabled();
        const environment = deps.environmentOf(principal, body.environment);
        const split = () => splitByKnownFlags(body, (flagName) => deps.flagExists(environment, flagName));
        let { known, unknownFlags } = split();
        if (unknownFlags.length > 0) {
          await deps.catchUp();
          ({ known, unknownFlags } = split());
        }
        try {
          const accepted = deps.recorder.ingest(environment, known);
          if (unknownFlags.length > 0) deps.onUnknownFlags?.(environment, unknownFlags);
          return { status: 202, body: { environment, accepted, unknownFlags } };
        } catch (error) {
          if (!(error instanceof UsageBackpressureError)) throw error;
          throw new HttpError(503, error.code, 'Service unavailable', error.message, [], { pendingKeys: error.pendingKeys }, {
            'retry-after': String(error.retryAfterSeconds),
          });
        }
      },
    }),
  ];
}
