import { describe, expect, it } from 'vitest';
import { OpenApiSchemas } from './openapi-schema.js';

const schemas = new OpenApiSchemas();

describe('OpenApiSchemas (the OFREP document)', () => {
  it('when an answer matches the document, then there are no problems', () => {
    expect(schemas.validate('serverEvaluationSuccess', { key: 'a', value: true, reason: 'STATIC' })).toEqual([]);
    expect(schemas.validate('flagNotFound', { key: 'a', errorCode: 'FLAG_NOT_FOUND' })).toEqual([]);
  });

  it('when an answer breaks the document, then each problem is named with its path', () => {
    expect(schemas.validate('evaluationSuccess', { key: 'a', value: true, reason: 'DEFAULT' })).toContain(
      '$.reason: not one of STATIC, TARGETING_MATCH, SPLIT, DISABLED, UNKNOWN',
    );
    expect(schemas.validate('evaluationFailure', { errorCode: 'TYPE_MISMATCH' })).toEqual(
      expect.arrayContaining([
        '$.key: required',
        '$.errorCode: not one of PARSE_ERROR, TARGETING_KEY_MISSING, INVALID_CONTEXT, GENERAL',
      ]),
    );
    expect(schemas.validate('eventStream', { type: 'sse' })).not.toEqual([]);
  });
});

describe('OpenApiSchemas readings', () => {
  it('when a success has a value of no flag type, then it is invalid; without a value, then it is a code default', () => {
    expect(schemas.validate('evaluationSuccess', { key: 'a', value: [1], reason: 'STATIC' })).not.toEqual([]);
    expect(schemas.validate('evaluationSuccess', { key: 'a', value: 3, reason: 'STATIC' })).toEqual([]);
    expect(schemas.validate('evaluationSuccess', { key: 'a', reason: 'DISABLED' })).toEqual([]);
  });
});
