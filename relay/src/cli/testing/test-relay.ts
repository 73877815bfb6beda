import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configWith, type RelayConfig } from '../../config/relay-config.js';
import { startRelay } from '../../main.js';
import type { CliTarget } from './run-cli.js';

export interface TestRelay {
  target: CliTarget;
  adminKey: string;
  stop(): Promise<void>;
}

/** Flags per page in test relays: small, so `list` and `export` must follow the cursor. */
const TEST_PAGE_SIZE = 2;

/** A real relay on a free port with an empty embedded store in a temp directory. */
export async function startTestRelay(overrides: Partial<RelayConfig> = {}): Promise<TestRelay> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-cli-relay-'));
  const adminKey = 'cli-test-admin-key-0123456789';
  const relay = await startRelay(
    configWith({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      adminKey,
      logLevel: 'error',
      apiKeyCacheSeconds: 0,
      defaultPageSize: TEST_PAGE_SIZE,
      ...overrides,
    }),
    { logSink: () => undefined, print: () => undefined },
  );
  return {
    target: { relayUrl: relay.url, apiKey: adminKey },
    adminKey,
    async stop() {
      await relay.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
