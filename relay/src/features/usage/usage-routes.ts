import { z } from 'zod';
import { HttpError } from '../../http/http-errors.js';
import { defineRoute, type Principal, type Route } from '../../http/route.js';
import { audienceOf, type Audience } from '../flags/flag-environments.js';
import { splitByKnownFlags } from './known-flags.js';
import { usageBatchSchema } from './usage-batch-schema.js';
import { UsageBackpressureError } from './usage-errors.js';
import type { UsageRecorder } from './usage-recorder.js';
import type { UsageSettings } from './usage-settings.js';

export interface UsageRouteDeps {
  recorder: UsageRecorder;
  settings: UsageSettings;
  /** SWITCHYARD_FLAG_MAX_NAME_LENGTH: usage may name any flag the relay accepts. */
  maxFlagNameLength: number;
  analyticsEnabled: boolean;
  /** The environment a batch is for: the key's own, else the batch's, else the default; 400 when unknown. */
  environmentOf(principal: Principal, requested: string | undefined): string;
  /**
   * The flag's variant names when the environment has it (configured for it by name or `*`, and for
   * a client key visible to clients), as this relay knows now; else undefined.
   */
  flagVariants(environment: string, flagName: string, audience: Audience): readonly string[] | undefined;
  /** Reads the store's latest flag changes (another relay may have just created a flag the batch names). */
  catchUp(): Promise<void>;
  /** Told of each batch that named flags the environment does not have. */
  onUnknownFlags?(environment: string, flagNames: readonly string[]): void;
  /** Told of each batch that named variants its flags do not have (`flag/variant`). */
  onUnknownVariants?(environment: string, variants: readonly string[]): void;
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
  unknownFlags: z
    .array(z.string())
    .meta({ description: 'Flags the environment does not have: their entries were not counted.' }),
  unknownVariants: z.array(z.string()).meta({
    description:
      '`flag/variant` named by entries whose flag has no such variant (`/variant` for events without a flag): those entries were not counted.',
  }),
  outcomesOverLimit: z
    .object({
      events: z.number().int(),
      outcomes: z.array(z.string()),
    })
    .meta({
      description:
        'Events not counted because their flag, environment and hour already has SWITCHYARD_USAGE_MAX_OUTCOMES_PER_FLAG_HOUR outcome names: how many, and their `flag/outcome` (`/outcome` without a flag).',
    }),
});

/** The seed's `feature_flags.enable_analytics = false`. */
export function analyticsDisabled(): HttpError {
  return new HttpError(
    403,
    'ANALYTICS_DISABLED',
    'Forbidden',
    'usage analytics are switched off on this relay (SWITCHYARD_ANALYTICS_ENABLED=false)',
  );
}

/** `POST /api/v1/usage`: batches from providers (server and client keys of the environment, or admin). */
export function usageRoutes(deps: UsageRouteDeps): Route[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/usage',
      operationId: 'ingestUsage',
      summary: 'Send usage',
      tag: 'Analytics',
      access: ['admin', 'server', 'client'],
      body: usageBatchSchema(deps.settings, deps.maxFlagNameLength),
      bodyLimit: { maxBodyBytes: deps.settings.maxBodyBytes, setting: 'SWITCHYARD_USAGE_MAX_BODY_BYTES' },
      responses: {
        202: {
          description:
            'Taken: aggregated now, written to the store within SWITCHYARD_USAGE_FLUSH_INTERVAL_MS. Entries for flags the environment does not have, or variants their flag does not have, are not counted and are listed in unknownFlags / unknownVariants; events past the outcome-name limit are listed in outcomesOverLimit.',
          schema: acceptedSchema,
        },
        503: { description: 'Too much usage awaits a write; retry after `Retry-After` seconds.' },
      },
      async handle({ body, principal }) {
        if (!deps.analyticsEnabled) throw analyticsDisabled();
        const environment = deps.environmentOf(principal, body.environment);
        const audience = audienceOf(principal.role);
        const split = () => splitByKnownFlags(body, (flagName) => deps.flagVariants(environment, flagName, audience));
        let { known, unknownFlags, unknownVariants } = split();
        if (unknownFlags.length > 0 || unknownVariants.length > 0) {
          await deps.catchUp();
          ({ known, unknownFlags, unknownVariants } = split());
        }
        await deps.recorder.loadOutcomeNames(environment, known);
        try {
          const { accepted, outcomesOverLimit } = deps.recorder.ingest(environment, known);
          if (unknownFlags.length > 0) deps.onUnknownFlags?.(environment, unknownFlags);
          if (unknownVariants.length > 0) deps.onUnknownVariants?.(environment, unknownVariants);
          return { status: 202, body: { environment, accepted, unknownFlags, unknownVariants, outcomesOverLimit } };
        } catch (error) {
          if (!(error instanceof UsageBackpressureError)) throw error;
          throw new HttpError(
            503,
            error.code,
            'Service unavailable',
            error.message,
            [],
            { pendingKeys: error.pendingKeys },
            {
              'retry-after': String(error.retryAfterSeconds),
            },
          );
        }
      },
    }),
  ];
}
