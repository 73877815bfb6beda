import type { ApiKeyRole, ApiKeyView, NewApiKey } from '@switchyard/protocol';
import type { RelayClient } from '../../api/relay-client.js';

/** Roles whose keys belong to one environment. */
export const ENVIRONMENT_ROLES: ReadonlySet<ApiKeyRole> = new Set(['server', 'client']);

export const ROLE_DESCRIPTIONS: Record<ApiKeyRole, string> = {
  admin: 'everything, including API keys',
  editor: 'read and change flags',
  viewer: 'read flags, history, audit and analytics',
  server: 'a service evaluating flags of one environment',
  client: 'a web page evaluating flags of one environment (values only)',
};

export async function listApiKeys(client: RelayClient): Promise<ApiKeyView[]> {
  return (await client.request<{ keys: ApiKeyView[] }>('GET', '/api/v1/api-keys')).keys;
}

/** The created key with its secret (`key`), which the relay answers this once. */
export function createApiKey(client: RelayClient, key: NewApiKey): Promise<ApiKeyView & { key: string }> {
  return client.request('POST', '/api/v1/api-keys', { body: key });
}

export function revokeApiKey(client: RelayClient, id: string): Promise<ApiKeyView> {
  return client.request('DELETE', `/api/v1/api-keys/${encodeURIComponent(id)}`);
}
