/**
 * `@switchyard/relay/testing`: what tests and benchmarks outside the relay use to drive a real relay —
 * a MongoDB-protocol server, sample flags, a websocket stream client and a free port.
 */
export { freePort } from './free-port.js';
export { startMongoTestServer, uniqueDatabaseName } from './mongo-test-server.js';
export type { MongoTestServer, MongoTestServerOptions } from './mongo-test-server.js';
export { sampleFlag } from './sample-flag.js';
export { sampleGradualFlag } from '../features/scheduler/sample-gradual-flag.js';
export { StreamTestClient, type StreamTestClientOptions } from '../features/stream/stream-test-client.js';
