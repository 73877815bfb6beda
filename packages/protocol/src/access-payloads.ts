/**
 * API keys and the audit log as the relay's REST API answers them (`/api/v1/api-keys`,
 * `/api/v1/audit`), shared by the relay, which stores and builds them, and the console and CLI.
 */
import type { JsonValue } from '@switchyard/core';

export const API_KEY_ROLES = ['admin', 'editor', 'viewer', 'server', 'client'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** A key as listings show it: never the secret nor its hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  role: ApiKeyRole;
  /** For `server` and `client` keys: the one environment the key may see. */
  environment?: string;
  hint: string;
  createdAt: string;
  revokedAt?: string;
  lastUsedAt?: string;
}

/** `POST /api/v1/api-keys`. */
export interface NewApiKey {
  name: string;
  role: ApiKeyRole;
  environment?: string;
}

/** One change in the audit log, as stored and as `GET /api/v1/audit` lists it. */
export interface AuditEntry {
  id: string;
  at: string;
  /** The acting key's name, or the relay's own actor (`scheduler`, `relay`), names no key may have. */
  actor: string;
  /** The acting key's id and role; absent when the relay itself acted (and on entries written before they were recorded). */
  actorKeyId?: string;
  actorRole?: ApiKeyRole;
  action: string;
  flagName?: string;
  environment?: string;
  before?: JsonValue;
  after?: JsonValue;
}

/** The query of `GET /api/v1/audit`: newest first, a page at a time. */
export interface AuditListQuery {
  /** Only changes of this flag. */
  flag?: string;
  /** Only changes at or after this time (ISO 8601). */
  since?: string;
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** `GET /api/v1/audit`. */
export interface AuditPage {
  entries: AuditEntry[];
  nextCursor?: string;
}
