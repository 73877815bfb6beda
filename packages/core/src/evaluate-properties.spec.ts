import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyContext, validFlagInput } from './arbitrary-flag.test-helper.js';
import { bucketOf, ROLLOUT_SALT, VARIANT_SALT } from './bucketing.js';
import { evaluateFlag } from './evaluate-flag.js';
import { reportedVariantNames } from './served-value.js';
import { REASONS, type EvaluationContext, type Flag } from './model.js';
import { validateFlag } from './validate-flag.js';
import { valueMatchesType } from './value-type.js';

const USERS = 100_000;
const flagName = fc.stringMatching(/^[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,3}$/);

function valid(input: unknown): Flag {
  const validation = validateFlag(input);
  if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
  return validation.flag;
}

function rollout(name: string, percentage: number, extra: object = {}): Flag {
  return valid({
    name,
    environments: {
      '*': { enabled: true, rules: [{ strategy: 'percentage', percentage }], fallthrough: { serve: false } },
    },
    ...extra,
  });
}

describe('evaluation properties', () => {
  it('the generator of valid flags only produces flags validateFlag accepts', () => {
    fc.assert(
      fc.property(validFlagInput, (input) => {
        const validation = validateFlag(input);
        if (!validation.ok) throw new Error(JSON.stringify({ input, problems: validation.problems }));
      }),
      { numRuns: 500 },
    );
  });

  it('a validated flag is plain JSON (no undefined fields, which a database would store as null) and validates again to itself', () => {
    fc.assert(
      fc.property(validFlagInput, (input) => {
        const flag = valid(input);
        const stored = JSON.parse(JSON.stringify(flag)) as unknown;
        expect(flag).toStrictEqual(stored);
        expect(valid(stored)).toStrictEqual(stored);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws, and answers with a known reason, a variant name and a value of the flag type, for any valid flag and any context', () => {
    fc.assert(
      fc.property(
        validFlagInput,
        anyContext,
        fc.constantFrom('production', 'staging', 'qa'),
        (input, context, environment) => {
          const flag = valid(input);
          const result = evaluateFlag(flag, flag.name, environment, context as EvaluationContext);
          expect(REASONS).toContain(result.reason);
          expect(typeof result.enabled).toBe('boolean');
          expect(reportedVariantNames(flag)).toContain(result.variant);
          if (result.value !== undefined) expect(valueMatchesType(result.value, flag.type)).toBe(true);
          // Without a throwing getter in the context, the only error is a missing bucketing key:
          // anything else would mean the engine fell into its safety net.
          if (result.reason === 'ERROR') expect(result.errorCode).toBe('TARGETING_KEY_MISSING');
        },
      ),
      { numRuns: 1000 },
    );
    // A thousand generated flags: seconds on a shared, loaded machine.
  }, 60_000);

  it('a 25% rollout serves 25% ± 1% of 100,000 users, whatever the flag', () => {
    fc.assert(
      fc.property(flagName, (name) => {
        const flag = rollout(name, 25);
        let served = 0;
        for (let i = 0; i < USERS; i++)
          if (evaluateFlag(flag, name, 'production', { targetingKey: `user-${i}` }).value === true) served++;
        expect(Math.abs(served / USERS - 0.25)).toBeLessThan(0.01);
      }),
      { numRuns: 5 },
    );
  });

  it('raising a percentage never drops a user who was in (monotonic)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.string(),
        fc.string({ minLength: 1 }),
        (a, b, name, key) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const flagName = `f${name.length}`;
          const lowIn =
            evaluateFlag(rollout(flagName, low), flagName, 'production', { targetingKey: key }).value === true;
          const highIn =
            evaluateFlag(rollout(flagName, high), flagName, 'production', { targetingKey: key }).value === true;
          expect(!lowIn || highIn).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('variant weights are honoured within ±1% over 100,000 users', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 2, maxLength: 4 }), (parts) => {
        const total = parts.reduce((s, p) => s + p, 0);
        const weights = parts.map((p) => (p / total) * 100);
        const flag = valid({
          name: 'weighted-split',
          variants: weights.map((weight, i) => ({ name: `v${i}`, value: `value-${i}`, weight })),
          environments: { '*': { enabled: true, rules: [], fallthrough: { serve: true } } },
        });
        const counts = new Map<string, number>();
        for (let i = 0; i < USERS; i++) {
          const variant = evaluateFlag(flag, flag.name, 'production', { targetingKey: `user-${i}` }).variant ?? '';
          counts.set(variant, (counts.get(variant) ?? 0) + 1);
        }
        weights.forEach((weight, i) =>
          expect(Math.abs((counts.get(`v${i}`) ?? 0) / USERS - weight / 100)).toBeLessThan(0.01),
        );
      }),
      { numRuns: 5 },
    );
  });

  it('the variant split is independent of the rollout: users inside a 25% rollout still split 50/50', () => {
    fc.assert(
      fc.property(flagName, (name) => {
        const flag = valid({
          name,
          type: 'string',
          variants: [
            { name: 'a', value: 'A', weight: 50 },
            { name: 'b', value: 'B', weight: 50 },
          ],
          environments: {
            '*': { enabled: true, rules: [{ strategy: 'percentage', percentage: 25 }], fallthrough: { serve: false } },
          },
        });
        let served = 0;
        let a = 0;
        for (let i = 0; i < USERS; i++) {
          const result = evaluateFlag(flag, name, 'production', { targetingKey: `user-${i}` });
          if (!result.enabled) continue;
          served++;
          if (result.variant === 'a') a++;
        }
        expect(Math.abs(a / served - 0.5)).toBeLessThan(0.02);
      }),
      { numRuns: 5 },
    );
  });

  it('raising the rollout does not reshuffle variants: a user keeps their variant from 10% to 90%', () => {
    const at = (percentage: number): Flag =>
      valid({
        name: 'stable-variants',
        variants: [
          { name: 'a', value: 'A', weight: 30 },
          { name: 'b', value: 'B', weight: 70 },
        ],
        environments: {
          '*': { enabled: true, rules: [{ strategy: 'percentage', percentage }], fallthrough: { serve: false } },
        },
      });
    const low = at(10);
    const high = at(90);
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (key) => {
        const before = evaluateFlag(low, 'stable-variants', 'production', { targetingKey: key });
        const after = evaluateFlag(high, 'stable-variants', 'production', { targetingKey: key });
        if (before.enabled) expect(after.variant).toBe(before.variant);
      }),
      { numRuns: 2000 },
    );
  });

  it('rollout and variant buckets of the same user are different numbers (different salts)', () => {
    let same = 0;
    for (let i = 0; i < 1000; i++)
      if (bucketOf('f', ROLLOUT_SALT, `user-${i}`) === bucketOf('f', VARIANT_SALT, `user-${i}`)) same++;
    expect(same).toBeLessThan(5);
  });
});
