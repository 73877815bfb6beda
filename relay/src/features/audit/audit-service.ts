import { randomUUID } from 'node:crypto';
import type { JsonValue } from '@switchyard/core';
import type { Logger } from '../../logging/logger.js';
import type { AuditEntry, AuditQuery, AuditStore } from '../../store/store.js';

export interface AuditChange {
  action: string;
  flagName?: string;
  environment?: string;
  before?: unknown;
  after?: unknown;
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

  async record(actor: string, change: AuditChange): Promise<void> {
    const entry: AuditEntry = { id: randomUUID(), at: this.now().toISOString(), actor, action: change.action };
    if (change.flagName !== undefined) entry.flagName = change.flagName;
    if (change.environment !== undefined) entry.environment = change.environment;
    if (change.before !== undefined) entry.before = toJson(change.before);
    if (change.after !== undefined) entry.after = toJson(change.after);
    try {
      await this.store.append(entry);
    } catch (error) {
      this.logger.error('audit entry not written', { entry, error });
    }
  }

  list(query: AuditQuery): Promise<AuditEntry[]> {
    return this.store.list(query);
  }
}

function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}
