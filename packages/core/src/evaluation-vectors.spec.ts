import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateFlag } from './evaluate-flag.js';
import type { EvaluationContext, EvaluationResult, Flag } from './model.js';
import { validateFlag } from './validate-flag.js';

interface Vector {
  description: string;
  flag: Record<string, unknown> | null;
  environment: string;
  context: EvaluationContext;
  expected: Pick<EvaluationResult, 'value' | 'variant' | 'enabled' | 'reason' | 'errorCode' | 'ruleIndex' | 'ruleName'>;
}

const file = fileURLToPath(new URL('../../../test/vectors/evaluation.json', import.meta.url));
const vectors = JSON.parse(readFileSync(file, 'utf8')) as Vector[];

describe('the shared evaluation vectors (test/vectors/evaluation.json)', () => {
  it('cover every reason and the error codes the engine produces', () => {
    const reasons = new Set(vectors.map((v) => v.expected.reason));
    expect([...reasons].sort()).toEqual(['DEFAULT', 'DISABLED', 'ERROR', 'SPLIT', 'STATIC', 'TARGETING_MATCH']);
    const codes = new Set(vectors.map((v) => v.expected.errorCode).filter((c) => c !== undefined));
    expect([...codes].sort()).toEqual(['FLAG_NOT_FOUND', 'TARGETING_KEY_MISSING']);
  });

  it('use each flag name for one flag only, so a replay can load every flag at once', () => {
    const byName = new Map<string, string>();
    for (const vector of vectors) {
      if (vector.flag === null) continue;
      const name = String(vector.flag['name']);
      const text = JSON.stringify(vector.flag);
      expect(byName.get(name) ?? text, `flag ${name}`).toBe(text);
      byName.set(name, text);
    }
  });

  it.each(vectors.map((v) => [v.description, v] as const))('%s', (_, vector) => {
    let flag: Flag | undefined;
    if (vector.flag !== null) {
      const validation = validateFlag(vector.flag);
      if (!validation.ok) expect.fail(JSON.stringify(validation.problems));
      flag = validation.flag;
    }
    const name = typeof vector.flag?.['name'] === 'string' ? vector.flag['name'] : 'no-such-flag';
    const result = evaluateFlag(flag, name, vector.environment, vector.context);
    const { value, variant, enabled, reason, errorCode, ruleIndex, ruleName } = result;
    expect({ value, variant, enabled, reason, errorCode, ruleIndex, ruleName }).toStrictEqual({
      value: vector.expected.value,
      variant: vector.expected.variant,
      enabled: vector.expected.enabled,
      reason: vector.expected.reason,
      errorCode: vector.expected.errorCode,
      ruleIndex: vector.expected.ruleIndex,
      ruleName: vector.expected.ruleName,
    });
  });
});
