import type { Flag } from '@switchyard/core';
import { errorOf, NetworkError, type ProblemBody } from './problem.js';
import type {
  EvaluateAnswer,
  EvaluateRequest,
  FlagListQuery,
  FlagPage,
  SchedulerStatus,
  StaleFlagsReport,
  StoredFlag,
  WhoAmI,
} from './types.js';

type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * The relay's REST API, typed. Sends the key as `Authorization: Bearer` (never in a URL) and turns
 * every `application/problem+json` answer into a typed error (see problem.ts).
 */
export class RelayClient {
  constructor(
    private readonly apiKey: string,
    private readonly baseUrl = '',
  ) {}

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: `Bearer ${this.apiKey}`,
      ...options.headers,
    };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}${queryString(options.query)}`, {
        method,
        headers,
        body: options.body === undefined ? null : JSON.stringify(options.body),
        signal: options.signal ?? null,
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new NetworkError(
        `the relay could not be reached (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const body = parseJson(text, response.status);
    if (!response.ok) throw errorOf(problemOf(body, response.status));
    return body as T;
  }

  /** Opens a streaming GET (server-sent events) with the key in the header, resuming after `lastEventId`. */
  async stream(path: string, signal: AbortSignal, lastEventId?: string): Promise<ReadableStream<Uint8Array>> {
    const headers: Record<string, string> = { Accept: 'text/event-stream', Authorization: `Bearer ${this.apiKey}` };
    if (lastEventId !== undefined) headers['Last-Event-ID'] = lastEventId;
    const response = await fetch(`${this.baseUrl}${path}`, {
      headers,
      signal,
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!response.ok || response.body === null) {
      throw errorOf(problemOf(parseJson(await response.text(), response.status), response.status));
    }
    return response.body;
  }

  whoami(): Promise<WhoAmI> {
    return this.request('GET', '/api/v1/whoami');
  }

  listFlags(query: FlagListQuery = {}, signal?: AbortSignal): Promise<FlagPage> {
    return this.request('GET', '/api/v1/feature-flags', { query: { ...query }, ...(signal ? { signal } : {}) });
  }

  /** Every flag, page after page of `pageSize` (the list screen filters them in the browser). */
  async allFlags(pageSize: number, signal?: AbortSignal): Promise<StoredFlag[]> {
    const flags: StoredFlag[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.listFlags({ limit: pageSize, ...(cursor ? { cursor } : {}) }, signal);
      flags.push(...page.flags);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return flags;
  }

  getFlag(name: string): Promise<StoredFlag> {
    return this.request('GET', `/api/v1/feature-flags/${encodeURIComponent(name)}`);
  }

  /** Replaces the flag, naming the version read: a VersionConflictError when someone saved first. */
  replaceFlag(flag: Flag, versionRead: number): Promise<StoredFlag> {
    const { version: _version, createdAt: _createdAt, updatedAt: _updatedAt, ...body } = flag;
    return this.request('PUT', `/api/v1/feature-flags/${encodeURIComponent(flag.name)}`, {
      body,
      headers: { 'If-Match': `"${versionRead}"` },
    });
  }

  /** Switches a flag on or off in one environment, naming the version read. */
  setEnabled(name: string, environment: string, enabled: boolean, versionRead: number): Promise<StoredFlag> {
    return this.request('PATCH', `/api/v1/feature-flags/${encodeURIComponent(name)}`, {
      body: { environment, enabled, version: versionRead },
    });
  }

  evaluate(request: EvaluateRequest): Promise<EvaluateAnswer> {
    return this.request('POST', '/api/v1/feature-flags/evaluate', { body: request });
  }

  scheduler(): Promise<SchedulerStatus> {
    return this.request('GET', '/api/v1/scheduler');
  }

  staleFlags(days?: number): Promise<StaleFlagsReport> {
    return this.request('GET', '/api/v1/reports/stale-flags', { query: { days } });
  }
}

function queryString(query: Query | undefined): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function parseJson(text: string, status: number): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new NetworkError(`the relay answered ${status} with something that is not JSON`);
  }
}

function problemOf(body: unknown, status: number): ProblemBody {
  if (typeof body === 'object' && body !== null) return { ...(body as Record<string, unknown>), status } as ProblemBody;
  return { status, title: `the relay answered ${status}` };
}
