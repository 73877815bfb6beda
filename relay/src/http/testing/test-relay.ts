import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configWith, type RelayConfig } from '../../config/relay-config.js';
import { startRelay, type RunningRelay } from '../../main.js';
import type { ApiKeyRole } from '../../store/store.js';

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: T;
  text: string;
}

export interface CallOptions {
  /** An API key sent as Bearer; `null` sends none. Default: the admin key. */
  key?: string | null;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (with the headers given). */
  rawBody?: string | Uint8Array;
  headers?: Record<string, string>;
}

export interface TestRelay {
  relay: RunningRelay;
  url: string;
  adminKey: string;
  dataDir: string;
  logs: string[];
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<Answer<T>>;
  /** Creates a key with this role (and environment for server/client) and answers the key text. */
  keyFor(role: ApiKeyRole, environment?: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts a real relay on port 0 with the embedded store in a fresh temp directory, logs captured. */
export async function startTestRelay(overrides: Partial<RelayConfig> = {}, dataDir?: string): Promise<TestRelay> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'switchyard-relay-')));
  const logs: string[] = [];
  const config = configWith({ port: 0, host: '127.0.0.1', dataDir: dir, logLevel: 'warn', ...overrides });
  const relay = await startRelay(config, { logSink: (line) => logs.push(line), print: () => undefined });
  const adminKey = overrides.adminKey ?? relay.firstAdminKey.key ?? '';
  const call = <T>(method: string, path: string, options: CallOptions = {}) =>
    callRelay<T>(relay.url, adminKey, method, path, options);
  return {
    relay,
    url: relay.url,
    adminKey,
    dataDir: dir,
    logs,
    call,
    async keyFor(role, environment) {
      const answer = await call<{ key: string }>('POST', '/api/v1/api-keys', {
        body: { name: `${role}-${environment ?? 'all'}`, role, environment },
      });
      if (answer.status !== 201) throw new Error(`creating a ${role} key answered ${answer.status}: ${answer.text}`);
      return answer.body.key;
    },
    async stop() {
      await relay.stop();
      if (dataDir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

async function callRelay<T>(
  baseUrl: string,
  adminKey: string,
  method: string,
  path: string,
  options: CallOptions,
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? adminKey : options.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  let body: string | Uint8Array | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if (/json/.test(response.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}
