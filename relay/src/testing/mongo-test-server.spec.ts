import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startMongoTestServer, type MongoTestServer } from './mongo-test-server.js';

const VARIABLES = ['PATH', 'HOME', 'SWITCHYARD_TEST_MONGODB_URI'] as const;
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
let emptyHome: string;
beforeEach(async () => {
  emptyHome = await mkdtemp(join(tmpdir(), 'switchyard-no-server-'));
});
afterEach(async () => {
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await rm(emptyHome, { recursive: true, force: true });
});

it('when no server can be had, then starting one fails and says how to get one (never a silent skip)', async () => {
  process.env.PATH = emptyHome;
  process.env.HOME = emptyHome;
  delete process.env.SWITCHYARD_TEST_MONGODB_URI;
  const error = await startMongoTestServer().catch((caught: unknown) => caught);
  if (!(error instanceof Error)) await (error as MongoTestServer).dispose();
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toContain('SWITCHYARD_TEST_MONGODB_URI');
  expect((error as Error).message).toContain('go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2');
});
