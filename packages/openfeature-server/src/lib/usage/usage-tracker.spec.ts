import { describe, expect, it } from 'vitest';
import { toTrackedEvent } from './usage-tracker.js';

describe('toTrackedEvent', () => {
  it('when details hold value, flagName and variant, then they get their own fields and the rest is metadata', () => {
    const event = toTrackedEvent(
      'conversion',
      { targetingKey: 'user-1' },
      { value: 9.5, flagName: 'f', variant: 'v', page: 'checkout', at: new Date(0) },
      4096,
    );
    expect(event).toMatchObject({
      name: 'conversion',
      userId: 'user-1',
      flagName: 'f',
      variant: 'v',
      value: 9.5,
      metadata: { page: 'checkout', at: '1970-01-01T00:00:00.000Z' },
    });
  });

  it('when metadata is bigger than the limit or a name longer than the relay accepts, then they are left out', () => {
    const event = toTrackedEvent('conversion', { targetingKey: 'u'.repeat(300) }, { blob: 'x'.repeat(100) }, 50);
    expect(event.metadata).toBeUndefined();
    expect(event.userId).toBeUndefined();
  });
});
