import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { UsageMongoStore } from './usage-mongo-store.js';
import { usageStoreContract } from './usage-store-contract.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('UsageMongoStore', () => {
  let ferret: ChildProcess | undefined;
  let dir: string;
  let client: MongoClient;
  let db: Db;
  let store: UsageMongoStore | undefined;
  let counter = 0;

  beforeAll(async () => {
    let uri = process.env['SWITCHYARD_TEST_MONGODB_URI'];
    if (!uri) {
      dir = await mkdtemp(join(tmpdir(), 'switchyard-usage-ferret-'));
      const port = await freePort();
      ferret = spawn(join(homedir(), 'go/bin/ferretdb'), [`--listen-addr=127.0.0.1:${port}`, `--sqlite-url=file:${dir}/`], { stdio: 'ignore' });
      uri = `mongodb://127.0.0.1:${port}/`;
    }
    client = new MongoClient(uri, { serverSelectionTimeoutMS: 20_000 });
    await client.connect();
  }, 30_000);
  afterAll(async () => {
    await client?.close();
    ferret?.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    db = client.db(`usage_${process.pid}_${++counter}`);
    store = await UsageMongoStore.create(db);
  });
  afterEach(async () => {
    await db.dropDatabase();
  });

  usageStoreContract(() => store!);
});
