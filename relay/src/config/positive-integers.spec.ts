import { describe, expect, it } from 'vitest';
import { readPositiveIntegers } from './positive-integers.js';

const VARIABLES = { limit: 'X_LIMIT', period: 'X_PERIOD' };
const DEFAULTS = { limit: 10, period: 60 };

describe('readPositiveIntegers', () => {
  it('when a variable is set, then it replaces the default; unset or empty ones keep theirs', () => {
    expect(readPositiveIntegers({ X_LIMIT: '25', X_PERIOD: '' }, VARIABLES, DEFAULTS)).toEqual({
      limit: 25,
      period: 60,
    });
    expect(DEFAULTS).toEqual({ limit: 10, period: 60 });
  });

  it.each(['0', '-3', '1.5', 'ten', '9007199254740993'])(
    'when a variable is %s, then the error names it and the text',
    (text) => {
      expect(() => readPositiveIntegers({ X_PERIOD: text }, VARIABLES, DEFAULTS)).toThrow(
        `X_PERIOD must be a positive integer, not "${text}"`,
      );
    },
  );
});
