import { useMongoTestServer } from '../../testing/mongo-test-server.test-helper.js';
import { MongoStore } from './mongo-store.js';
import { storeContract } from '../contracts/store-contract.js';

const mongo = useMongoTestServer();

storeContract('MongoDB', () =>
  MongoStore.connect({ mongodbUri: mongo().uri, databaseName: mongo().databaseName('store_contract') }),
);
