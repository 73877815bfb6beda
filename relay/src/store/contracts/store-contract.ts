import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../store.js';
import { apiKeyStoreContract } from './api-key-store-contract.js';
import { auditStoreContract } from './audit-store-contract.js';
import { flagChangesContract } from './flag-changes-contract.js';
import { flagStoreContract } from './flag-store-contract.js';
import { retentionContract } from './retention-contract.js';
import { usageStoreContract } from './usage-store-contract.js';

/** Gives each test a fresh, empty store; the suite closes it. */
export type OpenStore = () => Promise<Store>;

/** The behaviour every Store implementation must have, registered as vitest tests. */
export function storeContract(implementation: string, openStore: OpenStore): void {
  describe(`${implementation} store contract`, () => {
    let store: Store | undefined;
    beforeEach(async () => {
      store = await openStore();
    });
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });
    const current = (): Store => {
      if (!store) throw new Error('no store open');
      return store;
    };
    flagStoreContract(current);
    flagChangesContract(current);
    apiKeyStoreContract(current);
    auditStoreContract(current);
    retentionContract(current);
    usageStoreContract(() => current().usage);
  });
}
