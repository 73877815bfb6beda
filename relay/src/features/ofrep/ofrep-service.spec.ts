import { evaluateFlag } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import type { StoredFlag } from '../../store/store.js';
import { sampleFlag } from '../../testing/sample-flag.js';
import { FlagMap } from '../flags/flag-map.js';
import { OfrepService } from './ofrep-service.js';
import { FlagVisibility } from '../flags/flag-environments.js';

const FLAG: StoredFlag = {
  ...sampleFlag('checkout', {
    environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
  }),
  revision: 1,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

function serviceTelling(told: string[]): OfrepService {
  const source = new FlagMap();
  source.load([FLAG], 1);
  return new OfrepService(source, new FlagVisibility(true), evaluateFlag, (environment, result) =>
    told.push(`${environment}/${result.flagName}/${result.reason}`),
  );
}

describe('OfrepService usage reporting', () => {
  it('when a flag of the environment is evaluated, then the evaluation is reported', () => {
    const told: string[] = [];
    serviceTelling(told).evaluateOne('production', 'checkout', { targetingKey: 'u1' }, 'client');
    expect(told).toEqual(['production/checkout/STATIC']);
  });

  it('when the flag is unknown or not configured for the environment, then it answers not found and reports nothing', () => {
    const told: string[] = [];
    const service = serviceTelling(told);
    expect(service.evaluateOne('production', 'made-up', {}, 'client').status).toBe(404);
    expect(service.evaluateOne('staging', 'checkout', {}, 'client').status).toBe(404);
    expect(told).toEqual([]);
  });

  it('when every flag is fetched in bulk, then nothing is reported (fetching is not using)', () => {
    const told: string[] = [];
    serviceTelling(told).evaluateAll('production', { targetingKey: 'u1' }, 'client');
    expect(told).toEqual([]);
  });
});
