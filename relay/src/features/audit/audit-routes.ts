import { z } from 'zod';
import { defineRoute, type Route } from '../../http/route.js';
import { API_KEY_ROLES } from '../../store/store.js';
import { flagNameSchema } from '../../http/name-schemas.js';
import type { AuditService } from './audit-service.js';

export interface AuditRouteOptions {
  defaultPageSize: number;
  maxPageSize: number;
  /** SWITCHYARD_FLAG_MAX_NAME_LENGTH: `flag` may name any flag the relay accepts. */
  maxFlagNameLength: number;
}

const auditEntrySchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.string().meta({
      description:
        "The name of the key that made the change, or the relay's own actor: `scheduler` (gradual rollout steps) or `relay` (admin keys made at start). No key may take these names.",
    }),
    actorKeyId: z
      .string()
      .optional()
      .meta({ description: 'The id of the key that made the change; absent when the relay itself did.' }),
    actorRole: z
      .enum(API_KEY_ROLES)
      .optional()
      .meta({ description: "That key's role; absent when the relay itself did." }),
    action: z.string().meta({
      description:
        'e.g. flag.create, flag.update, flag.patch, flag.delete, flag.rollback, api-key.create, api-key.revoke.',
    }),
    flagName: z.string().optional(),
    environment: z.string().optional(),
    before: z.json().optional(),
    after: z.json().optional(),
  })
  .meta({ id: 'AuditEntry' });

/** `GET /api/v1/audit?flag=&since=&limit=&cursor=`: newest first, a page at a time. */
export function auditRoutes(audit: AuditService, options: AuditRouteOptions): Route[] {
  const query = z.strictObject({
    flag: flagNameSchema({ maxNameLength: options.maxFlagNameLength })
      .optional()
      .meta({ description: 'Only changes of this flag.' }),
    since: z.iso
      .datetime({ offset: true })
      .transform((text) => new Date(text).toISOString())
      // An offset can carry 9999-12-31 past year 9999 (`+010000-…`), which would sort before every stored time.
      .refine((iso) => /^\d{4}-/.test(iso), 'a time in the years 0000 to 9999 once converted to UTC')
      .optional()
      .meta({ description: 'Only changes at or after this time (ISO 8601, in the years 0000–9999 in UTC).' }),
    cursor: z.string().max(512).optional().meta({ description: 'The `nextCursor` of the previous page.' }),
    limit: z
      .string()
      .regex(/^\d{1,6}$/, 'a whole number')
      .transform(Number)
      .pipe(z.int().min(1).max(options.maxPageSize))
      .optional()
      .meta({ description: `Entries to answer (default ${options.defaultPageSize}, at most ${options.maxPageSize}).` }),
  });
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/audit',
      operationId: 'listAudit',
      summary: 'Read the audit log',
      tag: 'Audit',
      access: ['admin', 'editor', 'viewer'],
      query,
      responses: {
        200: {
          description: 'Changes, newest first.',
          schema: z.object({
            entries: z.array(auditEntrySchema),
            nextCursor: z
              .string()
              .optional()
              .meta({ description: 'Present when there are older entries: pass it as `cursor`.' }),
          }),
        },
      },
      async handle({ query: q }) {
        return {
          body: await audit.list({
            flagName: q.flag,
            since: q.since,
            cursor: q.cursor,
            limit: q.limit ?? options.defaultPageSize,
          }),
        };
      },
    }),
  ];
}
