import type { RelayClient } from '../../api/relay-client.js';
import type { AuditEntry } from '@switchyard/protocol';
import { auditPage } from './audit-api.js';

/** The screen's filters as the user typed them; empty text: no filter. */
export interface AuditFilterInput {
  flag: string;
  actor: string;
  action: string;
  /** `datetime-local` values (the reader's local time). */
  from: string;
  to: string;
}

export const NO_FILTER: AuditFilterInput = { flag: '', actor: '', action: '', from: '', to: '' };

/** A `datetime-local` value as ISO 8601 UTC; undefined when empty or invalid. */
function localToIso(local: string): string | undefined {
  if (local === '') return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * Whether an entry passes the filters the relay does not apply: actor (part of the key's name,
 * any case, or its exact key id), action, and "to" (entries at or before it).
 */
export function matchesLocally(entry: AuditEntry, input: AuditFilterInput): boolean {
  const actor = input.actor.trim().toLowerCase();
  if (actor !== '' && !entry.actor.toLowerCase().includes(actor) && entry.actorKeyId !== input.actor.trim())
    return false;
  if (input.action !== '' && entry.action !== input.action) return false;
  const until = localToIso(input.to);
  return until === undefined || entry.at <= until;
}

/**
 * The newest entries that pass every filter, at least `wanted` of them unless the log ends first:
 * the relay filters flag and "from"; the other filters are applied to each page as it arrives.
 */
export async function readMatchingEntries(
  client: RelayClient,
  input: AuditFilterInput,
  wanted: number,
  pageSize: number,
): Promise<{ entries: AuditEntry[]; complete: boolean }> {
  const serverFilter = { flag: input.flag.trim() || undefined, since: localToIso(input.from) };
  const entries: AuditEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await auditPage(client, serverFilter, pageSize, cursor);
    entries.push(...page.entries.filter((entry) => matchesLocally(entry, input)));
    cursor = page.nextCursor;
  } while (cursor !== undefined && entries.length < wanted);
  return { entries, complete: cursor === undefined };
}
