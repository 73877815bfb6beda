import { ErrorCode, OpenFeatureError } from '@openfeature/core';
import { ERROR_CODES } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { toOpenFeatureError, toResolutionDetails } from './resolution.js';

describe('toOpenFeatureError', () => {
  it.each(ERROR_CODES)(
    'when the core reports %s, then the provider throws the OpenFeature error of that code',
    (code) => {
      const error = toOpenFeatureError(code, 'why');
      expect(error).toBeInstanceOf(OpenFeatureError);
      expect(error.code).toBe(ErrorCode[code]);
      expect(error.message).toBe('why');
    },
  );
});

describe('toResolutionDetails', () => {
  it('when a rule served, then reason, variant, enabled, environment and the rule are in the details', () => {
    const result = {
      flagName: 'f',
      value: 'v',
      variant: 'a',
      enabled: true,
      reason: 'TARGETING_MATCH' as const,
      ruleIndex: 2,
      ruleName: 'qa',
    };
    expect(toResolutionDetails(result, 'v', 'production')).toEqual({
      value: 'v',
      variant: 'a',
      reason: 'TARGETING_MATCH',
      flagMetadata: { enabled: true, environment: 'production', ruleIndex: 2, ruleName: 'qa' },
    });
  });
});
