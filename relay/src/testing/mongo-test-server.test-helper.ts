import { afterAll, beforeAll } from 'vitest';
import { startMongoTestServer, type MongoTestServer } from './mongo-test-server.js';

/**
 * Starts a MongoDB-protocol test server before the file's (or the describe block's) tests and
 * disposes of it after them. Returns a getter: the server exists only once the hooks have run.
 */
export function useMongoTestServer(): () => MongoTestServer {
  let server: MongoTestServer | undefined;
  beforeAll(async () => {
    server = await startMongoTestServer();
  }, 120_000);
  afterAll(async () => {
    await server?.dispose();
  });
  return () => {
    if (server === undefined)
      throw new Error('the MongoDB test server is not started yet: read it inside a test or hook');
    return server;
  };
}
