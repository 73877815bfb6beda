import type { FlagLimits } from '@switchyard/core';
import { z } from 'zod';
import { defineRoute, type Route } from '../../http/route.js';
import { API_KEY_ROLES } from '../../store/store.js';

/** What the relay tells a key about itself and about the relay (the console's sign-in reads it). */
export interface WhoAmIRelayFacts {
  environments: readonly string[];
  defaultEnvironment: string;
  /** The limits flag writes are validated with (SWITCHYARD_FLAG_MAX_*). */
  flagLimits: FlagLimits;
  /** SWITCHYARD_MAX_PAGE_SIZE. */
  maxPageSize: number;
  /** SWITCHYARD_FLAG_CLIENT_VISIBLE_DEFAULT: whether client keys see a flag that does not set clientVisible. */
  clientVisibleByDefault: boolean;
  /** SWITCHYARD_REQUIRE_WRITE_VERSION: whether flag writes must name the version they read. */
  requireWriteVersion: boolean;
}

const whoAmISchema = z.object({
  key: z.object({
    id: z.string(),
    name: z.string(),
    role: z.enum(API_KEY_ROLES),
    environment: z.string().optional().meta({ description: 'For server and client keys: their one environment.' }),
  }),
  relay: z.object({
    environments: z.array(z.string()).meta({ description: 'SWITCHYARD_ENVIRONMENTS.' }),
    defaultEnvironment: z.string().meta({ description: 'SWITCHYARD_DEFAULT_ENVIRONMENT.' }),
    flagLimits: z.record(z.string(), z.number()).meta({
      description:
        'The size limits flag writes are validated with (SWITCHYARD_FLAG_MAX_*), by @switchyard/core FlagLimits name.',
    }),
    maxPageSize: z
      .number()
      .int()
      .meta({ description: 'SWITCHYARD_MAX_PAGE_SIZE: the largest `limit` a list accepts.' }),
    clientVisibleByDefault: z.boolean().meta({
      description: 'SWITCHYARD_FLAG_CLIENT_VISIBLE_DEFAULT: whether client keys see a flag without clientVisible.',
    }),
    requireWriteVersion: z.boolean().meta({
      description: 'SWITCHYARD_REQUIRE_WRITE_VERSION: whether flag writes must name the version they read (else 428).',
    }),
  }),
});

/** `GET /api/v1/whoami`: any valid key learns its own role (and environment) and the relay's facts a client validates with. */
export function whoAmIRoute(relay: WhoAmIRelayFacts): Route {
  return defineRoute({
    method: 'get',
    path: '/api/v1/whoami',
    operationId: 'whoAmI',
    summary: 'Read the calling key',
    tag: 'API keys',
    access: API_KEY_ROLES,
    responses: {
      200: {
        description:
          "The calling key (id, name, role, environment; never its secret) and the relay's environments, flag limits and page size.",
        schema: whoAmISchema,
      },
    },
    handle({ principal }) {
      const key: Record<string, string> = { id: principal.keyId, name: principal.name, role: principal.role };
      if (principal.environment !== undefined) key.environment = principal.environment;
      return {
        body: {
          key,
          relay: {
            environments: relay.environments,
            defaultEnvironment: relay.defaultEnvironment,
            flagLimits: relay.flagLimits,
            maxPageSize: relay.maxPageSize,
            clientVisibleByDefault: relay.clientVisibleByDefault,
            requireWriteVersion: relay.requireWriteVersion,
          },
        },
      };
    },
  });
}
