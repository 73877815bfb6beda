import type { RelayClient } from '../../api/relay-client.js';
import type { StoredFlag } from '../../api/types.js';
import type { AuditEntry } from '@switchyard/protocol';
import { auditPage } from '../audit/audit-api.js';

/** One version of a flag with who made it and how (from the audit entry that wrote it; absent for versions older than the log). */
export interface FlagVersion {
  flag: StoredFlag;
  change?: Pick<AuditEntry, 'actor' | 'actorRole' | 'action' | 'at'>;
}

/** Every version of the flag, newest first, each with its author: the history and the flag's audit entries, read to the end. */
export async function flagVersions(client: RelayClient, name: string, pageSize: number): Promise<FlagVersion[]> {
  const [versions, entries] = await Promise.all([
    allHistory(client, name, pageSize),
    allAuditEntries(client, name, pageSize),
  ]);
  const byVersion = new Map<number, AuditEntry>();
  for (const entry of entries) {
    const version = versionOf(entry.after);
    // Newest first: the first entry naming a version is the one that wrote it (a deleted and re-created flag restarts at 1).
    if (version !== undefined && !byVersion.has(version)) byVersion.set(version, entry);
  }
  return versions.reverse().map((flag) => {
    const entry = byVersion.get(flag.version);
    return entry === undefined
      ? { flag }
      : { flag, change: { actor: entry.actor, actorRole: entry.actorRole, action: entry.action, at: entry.at } };
  });
}

/** Restores version `version` as a new version, naming the current version read. */
export function rollBack(
  client: RelayClient,
  name: string,
  version: number,
  expectedVersion: number,
): Promise<StoredFlag> {
  return client.request('POST', `/api/v1/feature-flags/${encodeURIComponent(name)}/rollback`, {
    body: { version, expectedVersion },
  });
}

async function allHistory(client: RelayClient, name: string, pageSize: number): Promise<StoredFlag[]> {
  const versions: StoredFlag[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.request<{ versions: StoredFlag[]; nextCursor?: string }>(
      'GET',
      `/api/v1/feature-flags/${encodeURIComponent(name)}/history`,
      {
        query: { limit: pageSize, cursor },
      },
    );
    versions.push(...page.versions);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return versions;
}

async function allAuditEntries(client: RelayClient, name: string, pageSize: number): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await auditPage(client, { flag: name }, pageSize, cursor);
    entries.push(...page.entries);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return entries;
}

function versionOf(flag: unknown): number | undefined {
  const version = typeof flag === 'object' && flag !== null ? (flag as { version?: unknown }).version : undefined;
  return typeof version === 'number' ? version : undefined;
}
