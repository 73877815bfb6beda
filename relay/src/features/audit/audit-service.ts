import { randomUUID } from 'node:crypto';
import type { JsonValue } from '@switchyard/core';
import type { Logger } from '../../logging/logger.js';
import { decodePageCursor, encodePageCursor, invalidCursor } from '../../http/page-cursor.js';
import { AuditEntryNotFoundError } from '../../store/store-errors.js';
import type { AuditPage } from '@switchyard/protocol';
import type { ApiKeyRole, AuditEntry, AuditQuery, AuditStore } from '../../store/store.js';

/** Who made a change: an API key (a request's principal), or the relay itself (name only). */
export interface AuditActor {
  name: string;
  keyId?: string;
  role?: ApiKeyRole;
}

/** The gradual-rollout scheduler, as the author of its steps (no API key may take its name). */
export const SCHEDULER_ACTOR: AuditActor = { name: 'scheduler' };

export interface AuditChange {
  action: string;
  flagName?: string;
  environment?: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditListRequest {
  flagName?: string;
  /** ISO 8601 UTC, as `toISOString()` writes it. */
  since?: string;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  limit: number;
}

/**
 * Writes who changed what, when, with before/after. An entry is written after the change it
 * describes succeeded; if the audit write itself fails the change stands and the failure is logged
 * at error level (no transactions across collections are available on every supported store).
 */
export class AuditService {
  constructor(
    private readonly store: AuditStore,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(actor: AuditActor, change: AuditChange): Promise<void> {
    const entry: AuditEntry = {
      id: randomUUID(),
      at: this.now().toISOString(),
      actor: actor.name,
      action: change.action,
    };
    if (actor.keyId !== undefined) entry.actorKeyId = actor.keyId;
    if (actor.role !== undefined) entry.actorRole = actor.role;
    if (change.flagName !== undefined) entry.flagName = change.flagName;
    if (change.environment !== undefined) entry.environment = change.environment;
    if (change.before !== undefined) entry.before = toJson(change.before);
    if (change.after !== undefined) entry.after = toJson(change.after);
    try {
      await this.store.append(entry);
    } catch (error) {
      this.logger.error({ entry, error }, 'audit entry not written');
    }
  }

  /** One page, newest first; `nextCursor` is present when older entries remain. */
  async list(request: AuditListRequest): Promise<AuditPage> {
    const query: AuditQuery = { limit: request.limit + 1 };
    if (request.flagName !== undefined) query.flagName = request.flagName;
    if (request.since !== undefined) query.since = request.since;
    if (request.cursor !== undefined) query.after = decodePageCursor(request.cursor);
    let found: AuditEntry[];
    try {
      found = await this.store.list(query);
    } catch (error) {
      throw error instanceof AuditEntryNotFoundError ? invalidCursor() : error;
    }
    const entries = found.slice(0, request.limit);
    const page: AuditPage = { entries };
    if (found.length > request.limit) page.nextCursor = encodePageCursor(entries[entries.length - 1]!.id);
    return page;
  }
}

function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}
