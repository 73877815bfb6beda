import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configWith, type RelayConfig } from '../../config/relay-config.js';
import { startRelay } from '../../main.js';
import { afterAll, beforeAll } from 'vitest';
import { assertCliBuilt, CLI_TEST_TIMEOUT_MS, runCli, type CliRun, type CliTarget } from './run-cli.js';

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

/**
 * One test relay for the tests of a spec file: started before them (after checking the CLI is built),
 * stopped after them. `cli(...)` runs the built CLI against it with the admin key.
 */
export function useTestRelay(): TestRelay & { cli: (...args: string[]) => Promise<CliRun> } {
  let relay: TestRelay | undefined;
  beforeAll(async () => {
    assertCliBuilt();
    relay = await startTestRelay();
  }, CLI_TEST_TIMEOUT_MS);
  afterAll(async () => relay?.stop(), CLI_TEST_TIMEOUT_MS);
  const started = (): TestRelay => {
    if (relay === undefined) throw new Error('the test relay is not running: use it inside tests or hooks');
    return relay;
  };
  return {
    get target() {
      return started().target;
    },
    get adminKey() {
      return started().adminKey;
    },
    stop: () => started().stop(),
    cli: (...args) => runCli(started().target, args),
  };
}
