import fc from 'fast-check';
import { OPERATORS, type FlagValueType, type JsonPrimitive, type Operator } from './model.js';

/** Attribute names the generated conditions and contexts share, so rules sometimes match. */
const ATTRIBUTES = [
  'plan',
  'country',
  'email',
  'age',
  'appVersion',
  'signupDate',
  'beta',
  'companyId',
  'groups',
] as const;

const word = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const flagName = fc.array(word, { minLength: 1, maxLength: 4 }).map((words) => words.join('-'));
const scalar: fc.Arbitrary<JsonPrimitive> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.boolean(),
  fc.constantFrom('premium', 'US', '42'),
);
const semver = fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20)).map(([a, b, c]) => `${a}.${b}.${c}`);
const isoDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

function conditionValues(operator: Operator): fc.Arbitrary<JsonPrimitive[]> {
  if (operator === 'exists' || operator === 'not_exists') return fc.constant([]);
  if (operator.startsWith('semver_')) return semver.map((v) => [v]);
  if (operator.startsWith('date_'))
    return fc.oneof(isoDate, fc.integer({ min: 0, max: 2_000_000_000_000 })).map((v) => [v]);
  if (/than/.test(operator))
    return fc
      .oneof(fc.integer({ min: -100, max: 100 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }))
      .map((v) => [v]);
  if (/contains|starts|ends/.test(operator))
    return fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), { minLength: 1, maxLength: 3 });
  return fc.array(scalar, { minLength: 1, maxLength: 4 });
}

const condition = fc.constantFrom(...OPERATORS).chain((operator) =>
  fc.record(
    {
      attribute: fc.constantFrom(...ATTRIBUTES, 'targetingKey', 'userId'),
      operator: fc.constant(operator),
      values: conditionValues(operator),
      negate: fc.boolean(),
      caseInsensitive: fc.boolean(),
    },
    { requiredKeys: ['attribute', 'operator', 'values'] },
  ),
);

const percentage = fc.oneof(fc.constantFrom(0, 25, 50, 100), fc.double({ min: 0, max: 100, noNaN: true }));

function rule(variantNames: string[]): fc.Arbitrary<Record<string, unknown>> {
  const common = {
    name: fc.option(word, { nil: undefined }),
    variant:
      variantNames.length === 0
        ? fc.constant(undefined)
        : fc.option(fc.constantFrom(...variantNames), { nil: undefined }),
    bucketBy: fc.option(fc.constantFrom('companyId', 'targetingKey'), { nil: undefined }),
  };
  return fc
    .oneof(
      fc.record({ ...common, strategy: fc.constant('percentage'), percentage }),
      fc.record({
        ...common,
        strategy: fc.constant('user_list'),
        userIds: fc.array(fc.constantFrom('user-1', 'user-2', 'u'), { maxLength: 3 }),
      }),
      fc.record({
        ...common,
        strategy: fc.constant('user_attribute'),
        targetingRules: fc.array(condition, { minLength: 1, maxLength: 3 }),
        match: fc.option(fc.constantFrom('all', 'any'), { nil: undefined }),
        percentage: fc.option(percentage, { nil: undefined }),
      }),
      fc.record({
        ...common,
        strategy: fc.constant('gradual'),
        startDate: isoDate,
        gradualIncrement: fc.double({ min: 0.5, max: 50, noNaN: true }),
        percentage: fc.option(percentage, { nil: undefined }),
        paused: fc.option(fc.boolean(), { nil: undefined }),
      }),
    )
    .map(dropUndefined);
}

function variantValue(type: FlagValueType): fc.Arbitrary<unknown> {
  switch (type) {
    case 'boolean':
      return fc.boolean();
    case 'string':
      return fc.string({ maxLength: 10 });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    default:
      return fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), {
        maxKeys: 3,
      });
  }
}

/** Weights summing to exactly 100 (integers), or none at all (equal split). */
function weights(count: number): fc.Arbitrary<number[] | undefined> {
  if (count === 0) return fc.constant([]);
  const cuts = fc.array(fc.integer({ min: 0, max: 100 }), { minLength: count - 1, maxLength: count - 1 }).map((c) => {
    const sorted = [0, ...c.sort((a, b) => a - b), 100];
    return sorted.slice(1).map((v, i) => v - sorted[i]!);
  });
  return fc.option(cuts, { nil: undefined });
}

const variants = fc.constantFrom<FlagValueType>('boolean', 'string', 'number', 'object').chain((type) =>
  fc.integer({ min: type === 'boolean' ? 0 : 1, max: 4 }).chain((count) =>
    fc
      .tuple(fc.constant(type), fc.array(variantValue(type), { minLength: count, maxLength: count }), weights(count))
      .map(([t, values, w]) => ({
        type: t,
        variants: values.map((value, i) =>
          w === undefined ? { name: `v${i}`, value } : { name: `v${i}`, value, weight: w[i] },
        ),
      })),
  ),
);

function environment(names: string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    enabled: fc.boolean(),
    rules: fc.array(rule(names), { maxLength: 4 }),
    fallthrough: fc
      .record({
        serve: fc.boolean(),
        variant: names.length === 0 ? fc.constant(undefined) : fc.option(fc.constantFrom(...names), { nil: undefined }),
      })
      .map(dropUndefined),
  });
}

/** Flag inputs, seed-shaped and canonical, that validateFlag accepts. */
export const validFlagInput: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(flagName, variants)
  .chain(([name, { type, variants: vs }]) => {
    const names = vs.map((v) => v.name);
    const base = {
      name: fc.constant(name),
      type: fc.option(fc.constant(type), { nil: undefined }),
      variants: fc.constant(vs),
      offVariant:
        names.length === 0 ? fc.constant(undefined) : fc.option(fc.constantFrom(...names), { nil: undefined }),
      bucketBy: fc.option(fc.constantFrom('companyId'), { nil: undefined }),
      clientVisible: fc.option(fc.boolean(), { nil: undefined }),
    };
    const canonical = fc.record({
      ...base,
      environments: fc.dictionary(fc.constantFrom('production', 'staging', '*'), environment(names), { maxKeys: 3 }),
    });
    const seed = fc.record({
      ...base,
      enabled: fc.boolean(),
      rolloutConfig: fc.option(rule(names), { nil: undefined }),
      environments: fc.option(
        fc.uniqueArray(fc.constantFrom('production', 'staging', 'development'), { maxLength: 3 }),
        { nil: undefined },
      ),
    });
    return fc.oneof(canonical, seed).map(dropUndefined);
  });

/** Contexts, from well-formed to hostile: any values, Dates, NaN, nested objects, long strings. */
export const anyContext: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.oneof(
    fc.constantFrom(...ATTRIBUTES, 'targetingKey', 'userId', '__proto__', 'constructor', 'toString'),
    fc.string(),
  ),
  fc.oneof(
    fc.anything({
      withDate: true,
      withBigInt: true,
      withNullPrototype: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withSparseArray: true,
      withBoxedValues: true,
    }),
    scalar,
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, new Date(Number.NaN), new Date(0), 'x'.repeat(100_000)),
  ),
);

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
