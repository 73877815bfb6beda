import type { StaleFlagsReport } from '../features/analytics/stale-flags.js';
import type { AuditEntry } from '../store/store.js';
import type { Flag, UserContext } from '@switchyard/core';
import type { ApiKeyView, EvaluateResult } from '@switchyard/protocol';
import { InvalidInputError } from './cli-errors.js';
import { isObject, type RelayClient } from './relay-client.js';

/** A flag as the relay answers it: the canonical flag plus its store metadata. */
/** A flag as the relay answers it; write answers add the environments the write affected. */
export type RelayFlag = Flag & { revision?: number; affectedEnvironments?: string[] };

export interface FlagFilter {
  environment?: string;
  tag?: string;
  text?: string;
}

/** A key as the relay lists it; the answer to a creation adds the key itself (`key`), shown once. */
export type ApiKeyInfo = ApiKeyView & { key?: string };

/** An audit entry as GET /api/v1/audit answers it: the stored entry itself. */
export type AuditRecord = AuditEntry;

export interface EvaluateInput {
  flagName?: string;
  userContext: UserContext;
  environment?: string;
}

/** Fields the relay's store assigns; they say nothing about how a flag behaves. */
const STORE_FIELDS = ['version', 'revision', 'createdAt', 'updatedAt', 'affectedEnvironments'] as const;

/** Pages the relay may split a listing into; a guard against a relay that never stops paging. */
const MAX_PAGES = 10_000;

/** The relay's REST API (issue 3), one method per route the CLI uses. */
export class SwitchyardApi {
  constructor(readonly client: RelayClient) {}

  async listFlags(filter: FlagFilter): Promise<RelayFlag[]> {
    return this.everyPage('/api/v1/feature-flags', 'flags', { ...filter });
  }

  /** Every item of a paged listing (or the first `max`), following `nextCursor`. */
  private async everyPage<T>(
    path: string,
    key: string,
    query: Record<string, string | undefined>,
    flagName?: string,
    max = Number.POSITIVE_INFINITY,
  ): Promise<T[]> {
    const all: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES && all.length < max; page++) {
      const { body } = await this.client.request<unknown>('GET', path, {
        query: { ...query, cursor },
        ...(flagName === undefined ? {} : { flagName }),
      });
      const { items, next } = pageOf<T>(body, key);
      all.push(...items);
      if (!next || items.length === 0) break;
      cursor = next;
    }
    return all.slice(0, max);
  }

  /** Whether the relay knows the environment: it answers 400 on a listing filtered by one it does not. */
  async checkEnvironment(environment: string): Promise<InvalidInputError | undefined> {
    try {
      await this.client.request<unknown>('GET', '/api/v1/feature-flags', { query: { environment, limit: 1 } });
      return undefined;
    } catch (error) {
      if (error instanceof InvalidInputError) return error;
      throw error;
    }
  }

  async getFlag(name: string, environment?: string): Promise<RelayFlag> {
    const { body } = await this.client.request<RelayFlag>('GET', flagPath(name), {
      query: { environment },
      flagName: name,
      environment,
    });
    return body;
  }

  async createFlag(flag: Record<string, unknown>): Promise<RelayFlag> {
    const name = String(flag.name);
    const { body } = await this.client.request<RelayFlag>('POST', '/api/v1/feature-flags', {
      body: flag,
      conflict: `a flag named "${name}" already exists: change it with \`switchyard update --name ${name}\``,
    });
    return body;
  }

  async replaceFlag(name: string, flag: Record<string, unknown>, readVersion: number): Promise<RelayFlag> {
    const { body } = await this.client.request<RelayFlag>('PUT', flagPath(name), {
      body: flag,
      ifMatch: readVersion,
      flagName: name,
      conflict: conflictMessage(name, readVersion),
    });
    return body;
  }

  /** A partial flag applied to one environment (the relay's default when none is named). */
  async patchFlag(
    name: string,
    patch: Record<string, unknown>,
    readVersion: number,
    environment?: string,
  ): Promise<RelayFlag> {
    const { body } = await this.client.request<RelayFlag>('PATCH', flagPath(name), {
      body: environment ? { ...patch, environment } : patch,
      ifMatch: readVersion,
      flagName: name,
      environment,
      conflict: conflictMessage(name, readVersion),
    });
    return body;
  }

  /** Deletes the flag; answers the environments that had it (the relay's Affected-Environments). */
  async deleteFlag(name: string, readVersion: number): Promise<string[]> {
    const { headers } = await this.client.request<unknown>('DELETE', flagPath(name), {
      ifMatch: readVersion,
      flagName: name,
      conflict: conflictMessage(name, readVersion),
    });
    return (headers.get('affected-environments') ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
  }

  async evaluate(input: EvaluateInput): Promise<EvaluateResult> {
    const { body } = await this.client.request<EvaluateResult>('POST', '/api/v1/feature-flags/evaluate', {
      body: input,
      flagName: input.flagName,
      environment: input.environment,
    });
    return body;
  }

  async evaluateAll(
    userContext: UserContext,
    environment?: string,
  ): Promise<{ environment?: string; results: Record<string, EvaluateResult> }> {
    const { body } = await this.client.request<{ environment?: string; results: Record<string, EvaluateResult> }>(
      'POST',
      '/api/v1/feature-flags/evaluate',
      { body: { userContext, environment } },
    );
    return body;
  }

  async history(name: string): Promise<RelayFlag[]> {
    return this.everyPage(`${flagPath(name)}/history`, 'versions', {}, name);
  }

  async rollback(name: string, version: number, readVersion: number): Promise<RelayFlag> {
    const { body } = await this.client.request<RelayFlag>('POST', `${flagPath(name)}/rollback`, {
      body: { version },
      ifMatch: readVersion,
      flagName: name,
      notFound: `flag "${name}" has no version ${version}: \`switchyard history --name ${name}\` lists its versions`,
      conflict: conflictMessage(name, readVersion),
    });
    return body;
  }

  /** The environment the relay uses when none is named (bulk evaluation of no flags says it). */
  async defaultEnvironment(): Promise<string> {
    const { body } = await this.client.request<{ environment: string }>('POST', '/api/v1/feature-flags/evaluate', {
      body: { flagNames: [] },
    });
    return body.environment;
  }

  async analytics(name: string, days: number, environment?: string): Promise<Record<string, unknown>> {
    const { body } = await this.client.request<Record<string, unknown>>('GET', `${flagPath(name)}/analytics`, {
      query: { days, environment },
      flagName: name,
      environment,
      notFound: `the relay has no analytics for flag "${name}": is analytics enabled on the relay (SWITCHYARD_ANALYTICS_ENABLED)?`,
    });
    return body;
  }

  /** The relay's stale-flag report (its own default window when `days` is not given). */
  async staleFlags(days?: number): Promise<StaleFlagsReport> {
    const { body } = await this.client.request<StaleFlagsReport>('GET', '/api/v1/reports/stale-flags', {
      query: { days },
    });
    return body;
  }

  async createKey(input: { name: string; role: string; environment?: string }): Promise<ApiKeyInfo> {
    const { body } = await this.client.request<ApiKeyInfo>('POST', '/api/v1/api-keys', { body: input });
    return body;
  }

  async listKeys(): Promise<ApiKeyInfo[]> {
    const { body } = await this.client.request<unknown>('GET', '/api/v1/api-keys');
    return pageOf<ApiKeyInfo>(body, 'keys').items;
  }

  async revokeKey(id: string): Promise<void> {
    await this.client.request<unknown>('DELETE', `/api/v1/api-keys/${encodeURIComponent(id)}`, {
      notFound: `no API key with id "${id}": \`switchyard keys list\` shows the ids`,
    });
  }

  /** Newest first: every entry matching, or the newest `limit`, following the relay's pages. */
  async audit(query: { flag?: string; since?: string; limit?: number }): Promise<AuditRecord[]> {
    const { limit, ...filter } = query;
    return this.everyPage<AuditRecord>('/api/v1/audit', 'entries', filter, undefined, limit);
  }
}

function flagPath(name: string): string {
  return `/api/v1/feature-flags/${encodeURIComponent(name)}`;
}

function conflictMessage(name: string, readVersion: number): string {
  return (
    `flag "${name}" changed since it was read at version ${readVersion}: someone else wrote it first; ` +
    'run the command again to apply your change to the latest version'
  );
}

/** A listing as an array, or as an object holding the array (under `key`, `items` or `data`) and a next cursor. */
function pageOf<T>(body: unknown, key: string): { items: T[]; next?: string } {
  if (Array.isArray(body)) return { items: body as T[] };
  if (!isObject(body)) return { items: [] };
  const list = [body[key], body.items, body.data].find(Array.isArray) as T[] | undefined;
  const next = [body.nextCursor, body.next, body.cursor].find((value) => typeof value === 'string') as
    string | undefined;
  return { items: list ?? [], next };
}

export function withoutStoreFields(input: unknown): unknown {
  if (!isObject(input)) return input;
  const copy: Record<string, unknown> = { ...input };
  for (const field of STORE_FIELDS) delete copy[field];
  return copy;
}
