import { describe, expect, it } from 'vitest';
import { OutcomeNames } from './outcome-names.js';

const HOUR = '2026-11-25T10:00:00.000Z';
const key = (flagName: string) => OutcomeNames.keyOf('production', flagName, HOUR);

describe('OutcomeNames', () => {
  it('when a flag-hour has the most names allowed, then a further name is refused and a known one still admitted', () => {
    const names = new OutcomeNames(2, 10);
    expect([
      names.admit(key('f'), 'a'),
      names.admit(key('f'), 'b'),
      names.admit(key('f'), 'c'),
      names.admit(key('f'), 'a'),
    ]).toEqual([true, true, false, true]);
  });

  it('when more flag-hours are used than the cache holds, then trimming forgets the least recently used one (read back from the store when next needed)', () => {
    const names = new OutcomeNames(50, 2);
    names.admit(key('one'), 'a');
    names.admit(key('two'), 'a');
    names.admit(key('one'), 'b');
    names.admit(key('three'), 'a');
    names.trim();
    expect([names.has(key('one')), names.has(key('two')), names.has(key('three'))]).toEqual([true, false, true]);
  });
});
