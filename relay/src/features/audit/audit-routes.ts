import { z } from 'zod';
import { defineRoute, type Route } from '../../http/route.js';
import { flagNameSchema } from '../flags/flags-schemas.js';
import type { AuditService } from './audit-service.js';

export interface AuditRouteOptions {
  defaultPageSize: number;
  maxPageSize: number;
}

const auditEntrySchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.string().meta({ description: 'The name of the key that made the change, or `scheduler`.' }),
    action: z.string().meta({ description: 'e.g. flag.create, flag.update, flag.patch, flag.delete, flag.rollback, api-key.create, api-key.revoke.' }),
    flagName: z.string().optional(),
    environment: z.string().optional(),
    before: z.json().optional(),
    after: z.json().optional(),
  })
  .meta({ id: 'AuditEntry' });

/** `GET /api/v1/audit?flag=&since=&limit=`: newest first. */
export function auditRoutes(audit: AuditService, options: AuditRouteOptions): Route[] {
  const query = z.strictObject({
    flag: flagNameSchema.optional().meta({ description: 'Only changes of this flag.' }),
    since: z.iso.datetime({ offset: true }).optional().meta({ description: 'Only changes at or after this time (ISO 8601).' }),
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
      method: 'get', path: '/api/v1/audit', operationId: 'listAudit', summary: 'Read the audit log', tag: 'Audit',
      access: ['admin', 'editor', 'viewer'],
      query,
      responses: { 200: { description: 'Changes, newest first.', schema: z.object({ entries: z.array(auditEntrySchema) }) } },
      async handle({ query: q }) {
        const since = q.since === undefined ? undefined : new Date(q.since).toISOString();
        const entries = await audit.list({ flagName: q.flag, since, limit: q.limit ?? options.defaultPageSize });
        return { body: { entries } };
      },
    }),
  ];
}
