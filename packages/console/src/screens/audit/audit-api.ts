import type { AuditListQuery, AuditPage } from '@switchyard/protocol';
import type { RelayClient } from '../../api/relay-client.js';

/** What the relay filters (flag, since); the screen filters actor, action and until within the pages. */
export type AuditServerFilter = Pick<AuditListQuery, 'flag' | 'since'>;

export function auditPage(
  client: RelayClient,
  filter: AuditServerFilter,
  limit: number,
  cursor?: string,
): Promise<AuditPage> {
  const query: AuditListQuery = { flag: filter.flag, since: filter.since, limit, cursor };
  return client.request('GET', '/api/v1/audit', { query: { ...query } });
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
