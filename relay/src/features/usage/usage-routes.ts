import { z } from 'zod';
import { HttpError } from '../../http/http-errors.js';
import { defineRoute, type Principal, type Route } from '../../http/route.js';
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
        202: { description: 'Taken: aggregated now, written to the store within SWITCHYARD_USAGE_FLUSH_INTERVAL_MS.', schema: acceptedSchema },
        503: { description: 'Too much usage awaits a write; retry after `Retry-After` seconds.' },
      },
      handle({ body, principal }) {
        if (!deps.analyticsEnabled) throw analyticsDisabled();
        const environment = deps.environmentOf(principal, body.environment);
        try {
          return { status: 202, body: { environment, accepted: deps.recorder.ingest(environment, body) } };
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
