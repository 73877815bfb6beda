import { randomBytes } from 'node:crypto';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { premiumThenQuarterFlag } from '../relay/relay-http-bench.js';

/** What the load needs of the relay: its address, keys of each kind and the flags to evaluate. */
export interface SoakTarget {
  url: string;
  adminKey: string;
  serverKey: string;
  clientKey: string;
  /** Flags that exist for the whole run (evaluated, written, read in analytics). */
  flagNames: string[];
}

export interface MixedLoadOptions {
  seconds: number;
  /** Request loops running at once (each waits for its answer before the next request). */
  requestLoops: number;
  /** Stream loops: each opens a stream, holds it a moment, closes it, again. */
  streamLoops: number;
  /** Flag writes a second (one writer: creates, patches and deletes flags). */
  writesPerSecond: number;
}

/** Requests made, by kind, and everything that went wrong (by kind and status or message). */
export interface LoadTally {
  requests: number;
  byKind: Record<string, number>;
  failures: Record<string, number>;
}

type Kind = 'evaluate' | 'ofrep-single' | 'ofrep-bulk' | 'usage' | 'analytics' | 'flag-list';

/** Weights of the request kinds in each request loop (flag writes and streams have loops of their own). */
const MIX: readonly [Kind, number][] = [
  ['evaluate', 30],
  ['ofrep-single', 20],
  ['ofrep-bulk', 15],
  ['usage', 15],
  ['analytics', 3],
  ['flag-list', 2],
];
const USERS = 1_000_000;
/** A stream not closed by then (its first message never came) is dropped and counted as failed. */
const STREAM_TIMEOUT_MS = 15_000;

/**
 * A mixed load against a real relay: evaluations (REST, OFREP single and bulk with If-None-Match),
 * usage batches with fresh user ids, analytics reads, flag writes (patches, and flags created and
 * deleted again), and websocket and server-sent-event streams opening and closing. Every non-2xx
 * answer (304 aside) and every failed stream is counted as a failure.
 */
export async function runMixedLoad(target: SoakTarget, options: MixedLoadOptions): Promise<LoadTally> {
  const tally: LoadTally = { requests: 0, byKind: {}, failures: {} };
  const until = Date.now() + options.seconds * 1000;
  const client = new LoadClient(target, tally);
  await Promise.all([
    ...Array.from({ length: options.requestLoops }, () => client.requestLoop(until)),
    ...Array.from({ length: options.streamLoops }, (_, i) => client.streamLoop(until, i)),
    client.writeLoop(until, options.writesPerSecond),
  ]);
  return tally;
}

/**
 * Gives the relay's store a history before the soak, as a relay that has served for a while has:
 * `writes` flag patches (each one audit entry and one flag version).
 */
export async function prefillHistory(target: SoakTarget, writes: number): Promise<LoadTally> {
  const tally: LoadTally = { requests: 0, byKind: {}, failures: {} };
  await new LoadClient(target, tally).prefill(writes);
  return tally;
}

class LoadClient {
  private etag: string | undefined;
  private readonly versions = new Map<string, number>();
  private tempFlags = 0;

  constructor(
    private readonly target: SoakTarget,
    private readonly tally: LoadTally,
  ) {}

  async requestLoop(until: number): Promise<void> {
    const total = MIX.reduce((sum, [, weight]) => sum + weight, 0);
    while (Date.now() < until) {
      let pick = Math.random() * total;
      const kind = MIX.find(([, weight]) => (pick -= weight) < 0)?.[0] ?? 'evaluate';
      await this.one(kind);
    }
  }

  async writeLoop(until: number, perSecond: number): Promise<void> {
    let n = 0;
    const start = Date.now();
    while (Date.now() < until) {
      n += 1;
      if (n % 10 === 0) await this.createAndDeleteFlag();
      else await this.patchFlag(this.target.flagNames[n % this.target.flagNames.length]!, n % 100);
      const due = start + (n * 1000) / perSecond - Date.now();
      if (due > 0) await sleep(due);
    }
  }

  async streamLoop(until: number, lane: number): Promise<void> {
    const kinds = ['ws-server', 'ws-client', 'sse-ofrep', 'sse-management'] as const;
    let n = lane;
    while (Date.now() < until) {
      const kind = kinds[n++ % kinds.length]!;
      const holdMs = 200 + Math.random() * 1800;
      try {
        await (kind === 'ws-server' || kind === 'ws-client'
          ? this.websocket(kind, holdMs)
          : this.eventStream(kind, holdMs));
        this.count(`stream ${kind}`);
      } catch (error) {
        this.fail(`stream ${kind}`, error instanceof Error ? error.message : String(error));
      }
    }
  }

  /** `writes` patches, one lane per flag (so no two patch the same flag at once). */
  async prefill(writes: number): Promise<void> {
    const names = this.target.flagNames;
    await Promise.all(
      names.map(async (name, lane) => {
        for (let n = lane; n < writes; n += names.length) await this.patchFlag(name, n % 100);
      }),
    );
  }

  private async one(kind: Kind): Promise<unknown> {
    const flag = this.randomFlag();
    const user = `user-${Math.floor(Math.random() * USERS)}`;
    switch (kind) {
      case 'evaluate':
        return this.call(kind, 'POST', '/api/v1/feature-flags/evaluate', this.target.serverKey, {
          flagName: flag,
          userContext: { userId: user, plan: Math.random() < 0.2 ? 'premium' : 'free', country: 'US' },
        });
      case 'ofrep-single':
        return this.call(kind, 'POST', `/ofrep/v1/evaluate/flags/${flag}`, this.target.clientKey, {
          context: { targetingKey: user },
        });
      case 'ofrep-bulk': {
        // Half the bulk requests come back with the last tag, as a polling web provider does.
        const headers: Record<string, string> = this.etag && Math.random() < 0.5 ? { 'if-none-match': this.etag } : {};
        return this.call(
          kind,
          'POST',
          '/ofrep/v1/evaluate/flags',
          this.target.clientKey,
          { context: { targetingKey: Math.random() < 0.5 ? 'polling-user' : user } },
          headers,
        );
      }
      case 'usage':
        return this.call(kind, 'POST', '/api/v1/usage', this.target.serverKey, usageBatch(this.target.flagNames));
      case 'analytics':
        return this.call(kind, 'GET', `/api/v1/feature-flags/${flag}/analytics`, this.target.adminKey);
      case 'flag-list':
        return this.call(kind, 'GET', '/api/v1/feature-flags?limit=50', this.target.adminKey);
    }
  }

  private async patchFlag(name: string, percentage: number): Promise<void> {
    const version = this.versions.get(name);
    const answer = await this.call(
      'flag-write',
      'PATCH',
      `/api/v1/feature-flags/${name}?environment=production`,
      this.target.adminKey,
      { ...(version === undefined ? {} : { version }), rolloutConfig: { percentage } },
    );
    if (answer?.version !== undefined) this.versions.set(name, Number(answer.version));
  }

  private async createAndDeleteFlag(): Promise<void> {
    const name = `soak-temporary-${(this.tempFlags += 1)}`;
    await this.call('flag-create', 'POST', '/api/v1/feature-flags', this.target.adminKey, premiumThenQuarterFlag(name));
    await this.call('flag-delete', 'DELETE', `/api/v1/feature-flags/${name}`, this.target.adminKey);
  }

  private async call(
    kind: string,
    method: string,
    path: string,
    key: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Record<string, unknown> | undefined> {
    try {
      const response = await fetch(`${this.target.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (response.status === 304) {
        this.count(kind);
        return undefined;
      }
      if (!response.ok) {
        this.fail(kind, `${response.status} ${text.slice(0, 160)}`);
        return undefined;
      }
      this.count(kind);
      if (kind === 'ofrep-bulk') this.etag = response.headers.get('etag') ?? undefined;
      return text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
    } catch (error) {
      this.fail(kind, error instanceof Error ? error.message : String(error));
      return undefined;
    }
  }

  /** Opens a websocket stream, waits for its first message, holds it, closes it. */
  private websocket(kind: 'ws-server' | 'ws-client', holdMs: number): Promise<void> {
    const key = kind === 'ws-server' ? this.target.serverKey : this.target.clientKey;
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${this.target.url.replace(/^http/, 'ws')}/api/v1/stream`, {
        headers: { authorization: `Bearer ${key}` },
        perMessageDeflate: false,
      });
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = setTimeout(() => socket.terminate(), STREAM_TIMEOUT_MS);
      socket.once('message', () => {
        timer = setTimeout(() => socket.close(1000), holdMs);
      });
      socket.once('close', () => {
        clearTimeout(gaveUp);
        if (timer === undefined) reject(new Error('closed before its first message'));
        else resolve();
      });
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) => reject(new Error(`refused: ${response.statusCode}`)));
    });
  }

  /** Opens a server-sent-event stream (OFREP's with the client key, or the management one), reads its first event, holds it, closes it. */
  private eventStream(kind: 'sse-ofrep' | 'sse-management', holdMs: number): Promise<void> {
    const path = kind === 'sse-ofrep' ? '/ofrep/v1/event-stream' : '/api/v1/flag-events';
    const key = kind === 'sse-ofrep' ? this.target.clientKey : this.target.adminKey;
    return new Promise((resolve, reject) => {
      let req: ClientRequest | undefined = undefined;
      req = request(
        `${this.target.url}${path}`,
        { headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' } },
        (res: IncomingMessage) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new Error(`refused: ${res.statusCode}`));
            return;
          }
          let held = false;
          res.on('data', () => {
            if (held) return;
            held = true;
            setTimeout(() => req!.destroy(), holdMs);
          });
          res.on('close', () => (held ? resolve() : reject(new Error('closed before its first event'))));
          res.on('error', () => undefined);
        },
      );
      const gaveUp = setTimeout(() => req!.destroy(new Error('no first event')), STREAM_TIMEOUT_MS);
      req.on('close', () => clearTimeout(gaveUp));
      // After a resolve (the stream closed by us), a late error changes nothing.
      req.on('error', reject);
      req.end();
    });
  }

  private randomFlag(): string {
    return this.target.flagNames[Math.floor(Math.random() * this.target.flagNames.length)]!;
  }

  private count(kind: string): void {
    this.tally.requests += 1;
    this.tally.byKind[kind] = (this.tally.byKind[kind] ?? 0) + 1;
  }

  private fail(kind: string, what: string): void {
    this.tally.requests += 1;
    const label = `${kind}: ${what}`;
    this.tally.failures[label] = (this.tally.failures[label] ?? 0) + 1;
  }
}

/** A usage batch as a server provider sends it: counts per flag with a few fresh user ids, and a tracked event. */
function usageBatch(flagNames: string[]): Record<string, unknown> {
  const periodStart = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
  const users = (n: number) => Array.from({ length: n }, () => `user-${Math.floor(Math.random() * USERS)}`);
  return {
    environment: 'production',
    evaluations: flagNames.slice(0, 5).map((flagName) => ({
      flagName,
      enabled: Math.random() < 0.5,
      count: 10,
      userIds: users(5),
      periodStart,
    })),
    events: [{ name: 'checkout', userId: users(1)[0], value: 1, timestamp: new Date().toISOString() }],
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function randomAdminKey(): string {
  return `sy_admin_${randomBytes(16).toString('hex')}`;
}
