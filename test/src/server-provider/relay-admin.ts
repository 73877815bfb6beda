import type { Flag, UserContext } from '@switchyard/core';
import type { BulkEvaluateResponse, EvaluateResult } from '@switchyard/protocol';

/** The few REST calls these tests make against a real relay, with the admin key. Failures throw with the answer's body. */
export class RelayAdmin {
  constructor(
    readonly url: string,
    private readonly adminKey: string,
  ) {}

  async createFlag(flag: Partial<Flag> & { name: string }): Promise<Flag> {
    return this.request<Flag>('POST', '/api/v1/feature-flags', flag);
  }

  async getFlag(name: string): Promise<Flag> {
    return this.request<Flag>('GET', `/api/v1/feature-flags/${encodeURIComponent(name)}`);
  }

  /** Reads the flag, applies `change` and writes it back with the version read (If-Match). */
  async updateFlag(name: string, change: (flag: Flag) => Flag): Promise<Flag> {
    const current = await this.getFlag(name);
    const { version, createdAt, updatedAt, revision, ...next } = change(structuredClone(current)) as Flag & {
      revision?: number;
    };
    return this.request<Flag>('PUT', `/api/v1/feature-flags/${encodeURIComponent(name)}`, next, {
      'if-match': `"${current.version}"`,
    });
  }

  async deleteFlag(name: string): Promise<void> {
    const current = await this.getFlag(name);
    await this.request('DELETE', `/api/v1/feature-flags/${encodeURIComponent(name)}`, undefined, {
      'if-match': `"${current.version}"`,
    });
  }

  /** A new API key; returns its secret (shown once). */
  async createKey(
    role: 'server' | 'client',
    environment: string,
    name = `${role}-${environment}-${Date.now()}`,
  ): Promise<{ id: string; key: string }> {
    const body = await this.request<{ id: string; key?: string; secret?: string }>('POST', '/api/v1/api-keys', {
      name,
      role,
      environment,
    });
    const key = body.key ?? body.secret;
    if (typeof key !== 'string') throw new Error(`POST /api/v1/api-keys returned no key: ${JSON.stringify(body)}`);
    return { id: body.id, key };
  }

  async revokeKey(id: string): Promise<void> {
    await this.request('DELETE', `/api/v1/api-keys/${encodeURIComponent(id)}`);
  }

  /** One flag through the bulk form, which answers FLAG_NOT_FOUND as a result rather than a 404. */
  async evaluate(flagName: string, userContext: UserContext, environment: string): Promise<EvaluateResult> {
    const body = await this.request<BulkEvaluateResponse>('POST', '/api/v1/feature-flags/evaluate', {
      flagNames: [flagName],
      userContext,
      environment,
    });
    const result = body.results[flagName];
    if (result === undefined) throw new Error(`the relay answered no result for ${flagName}: ${JSON.stringify(body)}`);
    return result;
  }

  async analytics(flagName: string, query: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const search = new URLSearchParams(query).toString();
    return this.request(
      'GET',
      `/api/v1/feature-flags/${encodeURIComponent(flagName)}/analytics${search ? `?${search}` : ''}`,
    );
  }

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.adminKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
}
