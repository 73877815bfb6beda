import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startMongoTestServer, type MongoTestServer } from '../testing/mongo-test-server.js';
import { startTestRelay, type TestRelay } from './testing/test-relay.js';

const KEY_CACHE_SECONDS = 1;
/** Keys per measurement; evaluations and streams use their own, so each meets an expired cache entry. */
const CALLERS = 15;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Each key's request at once (as a relay's callers arrive); the median of their durations in ms. */
async function medianMs(keys: readonly string[], request: (key: string) => Promise<void>): Promise<number> {
  return median(
    await Promise.all(
      keys.map(async (key) => {
        const started = performance.now();
        await request(key);
        return performance.now() - started;
      }),
    ),
  );
}

/** Normal on a shared machine varies from round to round: the slower of two rounds. */
async function normalMs(keys: readonly string[], request: (key: string) => Promise<void>): Promise<number> {
  return Math.max(await medianMs(keys, request), await medianMs(keys, request));
}

describe('a relay on MongoDB while the database is down', { timeout: 180_000 }, () => {
  let server: MongoTestServer;
  let t: TestRelay;
  let keys: string[];
  let streamKeys: string[];

  beforeAll(async () => {
    server = await startMongoTestServer();
    const uri = `${server.uri.replace(/\/?$/, '/')}${server.databaseName('store_outage_http')}`;
    t = await startTestRelay({
      mongodbUri: uri,
      apiKeyCacheSeconds: KEY_CACHE_SECONDS,
      mongodbServerSelectionTimeoutMs: 2_000,
      storeProbeIntervalMs: 200,
    });
    await t.call('POST', '/api/v1/feature-flags', {
      body: { name: 'outage-flag', environments: ['production'], enabled: true },
    });
    keys = [];
    streamKeys = [];
    for (let i = 0; i < CALLERS; i++) {
      keys.push(await t.keyFor('server', 'production'));
      streamKeys.push(await t.keyFor('client', 'production'));
    }
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await server?.dispose();
  });

  const evaluate = async (key: string) => {
    const answer = await t.call('POST', '/api/v1/feature-flags/evaluate', { key, body: { flagName: 'outage-flag' } });
    expect(answer.status, answer.text).toBe(200);
  };
  const openStream = (key: string) =>
    new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(`${t.url.replace('http', 'ws')}/api/v1/stream`, {
        headers: { authorization: `Bearer ${key}` },
      });
      socket.once('open', () => {
        socket.close();
        resolve();
      });
      socket.once('error', reject);
    });
  const storeUp = async () =>
    /^switchyard_store_up (\d)$/m.exec((await t.call('GET', '/metrics', { key: null })).text)?.[1];
  const until = (check: () => Promise<boolean>) => expect.poll(check, { timeout: 30_000, interval: 50 }).toBe(true);

  it('when the database is killed, then key checks and stream upgrades answer from memory within 2× of normal, and the return is noticed', async () => {
    await medianMs(keys, evaluate); // warm-up: every key looked up once
    const normalEvaluate = await normalMs(keys, evaluate);
    const normalStream = await normalMs(streamKeys, openStream);
    const lastChecked = Date.now();

    await server.stop('SIGKILL');
    await until(async () => (await storeUp()) === '0');
    // Every key's cache period is over (the expiry is what is tested, so this waits out the time): without the known-down state each would now wait out the store's timeout.
    await sleep(Math.max(0, lastChecked + KEY_CACHE_SECONDS * 1000 + 100 - Date.now()));
    const outageEvaluate = await medianMs(keys, evaluate);
    const outageStream = await medianMs(streamKeys, openStream);
    expect({ outageEvaluate, within2x: outageEvaluate <= 2 * normalEvaluate }).toMatchObject({ within2x: true });
    expect({ outageStream, within2x: outageStream <= 2 * normalStream }).toMatchObject({ within2x: true });

    await server.restart();
    await until(async () => (await storeUp()) === '1');
    expect((await t.call('GET', '/readyz', { key: null })).status).toBe(200);
  });
});
