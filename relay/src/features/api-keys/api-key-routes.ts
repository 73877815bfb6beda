import { z } from 'zod';
import { defineRoute, type Route } from '../../http/route.js';
import { API_KEY_ROLES } from '../../store/store.js';
import { environmentNameSchema } from '../../http/name-schemas.js';
import type { ApiKeyService } from './api-key-service.js';

const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(API_KEY_ROLES),
    environment: z.string().optional(),
    hint: z.string().meta({ description: "The key's visible start, e.g. `sy_editor_0123456789abcdef_…`." }),
    createdAt: z.string(),
    revokedAt: z.string().optional(),
    lastUsedAt: z
      .string()
      .optional()
      .meta({ description: 'When the key last authenticated a request, to within a minute; absent when never.' }),
  })
  .meta({ id: 'ApiKey' });

const createKeySchema = z.strictObject({
  name: z.string().min(1).max(128).meta({
    description:
      "Who or what uses the key; the audit log names changes by it (with the key's id). `scheduler` and `relay` name the relay's own changes: refused.",
  }),
  role: z.enum(API_KEY_ROLES),
  environment: environmentNameSchema
    .optional()
    .meta({ description: 'Required for server and client keys, refused for the others.' }),
});

const keyParamsSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'an API key id'),
});

const ADMIN = ['admin'] as const;

/** Key management: admin only. */
export function apiKeyRoutes(keys: ApiKeyService): Route[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/api-keys',
      operationId: 'createApiKey',
      summary: 'Create an API key',
      tag: 'API keys',
      access: ADMIN,
      body: createKeySchema,
      responses: {
        201: {
          description: "The key's record and, in `key`, the key itself: shown this once, stored only as a hash.",
          schema: apiKeySchema.extend({ key: z.string() }),
        },
      },
      async handle({ body, principal }) {
        const created = await keys.create(body, principal);
        return { status: 201, body: { ...created.apiKey, key: created.key } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/api-keys',
      operationId: 'listApiKeys',
      summary: 'List API keys',
      tag: 'API keys',
      access: ADMIN,
      responses: {
        200: {
          description: 'Every key, revoked ones included, oldest first; never their secrets.',
          schema: z.object({ keys: z.array(apiKeySchema) }),
        },
      },
      async handle() {
        return { body: { keys: await keys.list() } };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/v1/api-keys/{id}',
      operationId: 'revokeApiKey',
      summary: 'Revoke an API key',
      tag: 'API keys',
      access: ADMIN,
      params: keyParamsSchema,
      responses: { 200: { description: "The revoked key's record.", schema: apiKeySchema } },
      async handle({ params, principal }) {
        return { body: await keys.revoke(params.id, principal) };
      },
    }),
  ];
}
