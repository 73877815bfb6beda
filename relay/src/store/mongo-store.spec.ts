import { afterAll, beforeAll } from 'vitest';
import { startMongoTestServer, type MongoTestServer } from '../testing/mongo-test-server.js';
import { MongoStore } from './mongo-store.js';
import { storeContract } from './store-contract.js';

let server: MongoTestServer;
beforeAll(async () => {
  server = await startMongoTestServer();
}, 120_000);
afterAll(async () => {
  await server?.dispose();
});

storeContract('MongoDB', () =>
  MongoStore.connect({ mongodbUri: server.uri, databaseName: server.databaseName('store_contract') }),
);
