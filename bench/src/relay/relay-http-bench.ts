import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { configWith, startRelay } from '@switchyard/relay';
import { markdownTable } from '../measure.js';
import { loadTest, type LoadResult } from './autocannon.js';

export const RELAY_BENCH_PACKAGES = ['@switchyard/relay', 'express', 'autocannon'];

const SECONDS = 10;
const CONNECTIONS = 32;
export const ADMIN_KEY = 'sy-bench-admin-key-0123456789';

/** A boolean flag: a rule for premium users, then 25% of everyone else (also the soak's flags). */
export function premiumThenQuarterFlag(name: string): Record<string, unknown> {
  return {
    name,
    description: 'bench flag: a premium rule, then 25% of everyone else',
    environments: {
      production: {
        enabled: true,
        rules: [
          {
            strategy: 'user_attribute',
            targetingRules: [{ attribute: 'plan', operator: 'equals', values: ['premium'] }],
          },
          { strategy: 'percentage', percentage: 25 },
        ],
        fallthrough: { serve: false },
      },
    },
  };
}

const FLAG = premiumThenQuarterFlag('checkout-redesign');

export const REQUEST = JSON.stringify({
  flagName: FLAG.name as string,
  userContext: { userId: 'user-42', email: 'user@example.com', plan: 'free', country: 'US' },
});

/** A bare Express 5 handler answering the same JSON shape: the ceiling for any Express route. */
async function startBareExpress(): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.use(express.json());
  app.post('/evaluate', (req, res) => {
    const body = req.body as { flagName: string };
    res.json({ flagName: body.flagName, value: false, enabled: false, reason: 'DEFAULT' });
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/evaluate`, close: () => new Promise((r) => server.close(() => r())) };
}

function row(name: string, r: LoadResult): (string | number)[] {
  return [name, Math.round(r.requestsPerSecond), r.p50Ms, r.p99Ms, r.errors + r.non2xx];
}

/** Requests/s and latency of POST /api/v1/feature-flags/evaluate beside a bare Express handler, in one run. */
export async function runRelayHttpBench(): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-bench-'));
  const relay = await startRelay(
    configWith({ port: 0, host: '127.0.0.1', dataDir, adminKey: ADMIN_KEY, logLevel: 'error' }),
    {
      print: () => undefined,
    },
  );
  const bare = await startBareExpress();
  try {
    const created = await fetch(`${relay.url}/api/v1/feature-flags`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(FLAG),
    });
    if (!created.ok) throw new Error(`creating the bench flag failed: ${created.status} ${await created.text()}`);
    const common = { body: REQUEST, seconds: SECONDS, connections: CONNECTIONS };
    const bareResult = await loadTest({ ...common, url: bare.url, headers: { 'content-type': 'application/json' } });
    const relayResult = await loadTest({
      ...common,
      url: `${relay.url}/api/v1/feature-flags/evaluate`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    });
    const ratio = relayResult.requestsPerSecond / bareResult.requestsPerSecond;
    const table = markdownTable(
      ['server', 'requests/s', 'p50 ms', 'p99 ms', 'errors'],
      [row('bare Express 5 handler', bareResult), row('relay POST /api/v1/feature-flags/evaluate', relayResult)],
    );
    return `${table}\n\nRatio relay / bare Express: **${ratio.toFixed(2)}** (goal ≥ 0.8). ${CONNECTIONS} connections, ${SECONDS} s each, autocannon in its own process, loopback.`;
  } finally {
    await bare.close();
    await relay.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
