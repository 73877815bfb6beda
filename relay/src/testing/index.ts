export { startMongoTestServer, uniqueDatabaseName } from './mongo-test-server.js';
export type { MongoTestServer, MongoTestServerOptions } from './mongo-test-server.js';
export { sampleFlag } from './sample-flag.js';
