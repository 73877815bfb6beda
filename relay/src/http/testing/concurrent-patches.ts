import { expect } from 'vitest';
import type { TestRelay } from './test-relay.js';

const FLAGS = '/api/v1/feature-flags';

/** One PATCH per field, none naming a version; each changes something no other touches. */
const PATCHES: Array<Record<string, unknown>> = [
  { description: 'changed by writer 0' },
  { owner: 'writer-1' },
  { tags: ['writer-2'] },
  { environment: 'staging', enabled: false },
  { environment: 'development', enabled: true },
  { environment: 'production', rolloutConfig: { percentage: 70 } },
];

/**
 * Creates `name` through the first relay, sends every PATCH of PATCHES at once without a version
 * (spread over the relays given), and checks each answered 200 and every change is in the flag.
 */
export async function expectConcurrentUnversionedPatchesAllLand(
  relays: readonly TestRelay[],
  name: string,
): Promise<void> {
  const created = await relays[0]!.call('POST', FLAGS, {
    body: {
      name,
      enabled: true,
      rolloutConfig: { strategy: 'percentage', percentage: 10 },
      environments: ['production', 'staging'],
    },
  });
  expect(created.status).toBe(201);
  const answers = await Promise.all(
    PATCHES.map((body, i) => relays[i % relays.length]!.call('PATCH', `${FLAGS}/${name}`, { body })),
  );
  expect(answers.map((answer) => answer.status)).toEqual(PATCHES.map(() => 200));
  const stored = (await relays[0]!.call('GET', `${FLAGS}/${name}`)).body;
  expect(stored.version).toBe(1 + PATCHES.length);
  expect(stored).toMatchObject({ description: 'changed by writer 0', owner: 'writer-1', tags: ['writer-2'] });
  expect(stored.environments.staging.enabled).toBe(false);
  expect(stored.environments.development.enabled).toBe(true);
  expect(stored.environments.production).toMatchObject({
    enabled: true,
    rules: [{ strategy: 'percentage', percentage: 70 }],
  });
}
