import type { RelayClient } from '../../api/relay-client.js';
import type { ApiKeyRole } from '../../api/types.js';

/** One entry of `GET /api/v1/audit`. */
export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  actorKeyId?: string;
  actorRole?: ApiKeyRole;
  action: string;
  flagName?: string;
  environment?: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor?: string;
}

/** What the relay filters (flag, since); the screen filters actor, action and until within the pages. */
export interface AuditServerFilter {
  flag?: string;
  since?: string;
}

export function auditPage(
  client: RelayClient,
  filter: AuditServerFilter,
  limit: number,
  cursor?: string,
): Promise<AuditPage> {
  return client.request('GET', '/api/v1/audit', { query: { flag: filter.flag, since: filter.since, limit, cursor } });
}

/** Every action the relay records, in plain words. */
export const ACTIONS: Record<string, string> = {
  'flag.create': 'Flag created',
  'flag.update': 'Flag replaced',
  'flag.patch': 'Flag switched or changed',
  'flag.rollback': 'Flag rolled back',
  'flag.delete': 'Flag deleted',
  'flag.gradual-step': 'Gradual rollout stepped',
  'api-key.create': 'API key created',
  'api-key.revoke': 'API key revoked',
};
