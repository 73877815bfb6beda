import { describe, expect, it } from 'vitest';
import { ServedVariants } from './served-variants.js';

describe('ServedVariants', () => {
  it('when a user was served flags with variants, then an outcome is attributed to each, with the variant served last', () => {
    const now = 0;
    const served = new ServedVariants(1_000, 10, () => now);
    served.served('u1', 'checkout', 'control');
    served.served('u1', 'banner', 'blue');
    served.served('u1', 'checkout', 'treatment');
    served.served('u2', 'checkout', 'control');
    expect(served.attribution('u1')).toEqual([
      { flagName: 'banner', variant: 'blue' },
      { flagName: 'checkout', variant: 'treatment' },
    ]);
    expect(served.attribution('nobody')).toEqual([]);
  });

  it('when the attribution window has passed since a flag was served, then the outcome is not attributed to it', () => {
    let now = 0;
    const served = new ServedVariants(1_000, 10, () => now);
    served.served('u1', 'old', 'a');
    now = 600;
    served.served('u1', 'recent', 'b');
    now = 1_000;
    expect(served.attribution('u1').map((entry) => entry.flagName)).toEqual(['old', 'recent']);
    now = 1_001;
    expect(served.attribution('u1').map((entry) => entry.flagName)).toEqual(['recent']);
  });

  it('when more users are served than maxUsers, then the one served longest ago is forgotten first', () => {
    let now = 0;
    const served = new ServedVariants(60_000, 2, () => now);
    served.served('u1', 'f', 'a');
    now = 1;
    served.served('u2', 'f', 'a');
    now = 2;
    served.served('u1', 'f', 'b');
    now = 3;
    served.served('u3', 'f', 'a');
    expect(served.size).toBe(2);
    expect(served.attribution('u2')).toEqual([]);
    expect(served.attribution('u1')).toEqual([{ flagName: 'f', variant: 'b' }]);
  });

  it('when users were not served within the window, then they are gone once a further window has passed (memory does not hold stale users)', () => {
    let now = 0;
    const served = new ServedVariants(100, 1_000, () => now);
    for (let i = 0; i < 400; i++) served.served(`old-${i}`, 'f', 'a');
    now = 101;
    served.served('fresh', 'f', 'a');
    expect(served.attribution('old-1')).toEqual([]);
    now = 202;
    served.served('fresher', 'f', 'a');
    expect(served.size).toBe(2);
  });

  it('when a user served long ago is served again, then the flags served before still count (moved, not lost)', () => {
    let now = 0;
    const served = new ServedVariants(1_000, 4, () => now);
    served.served('u1', 'first', 'a');
    served.served('u2', 'f', 'a');
    served.served('u3', 'f', 'a');
    now = 1;
    served.served('u1', 'second', 'b');
    expect(served.attribution('u1')).toEqual([
      { flagName: 'first', variant: 'a' },
      { flagName: 'second', variant: 'b' },
    ]);
    expect(served.size).toBeLessThanOrEqual(4);
  });
});
