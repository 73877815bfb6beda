import { describe, expect, it } from 'vitest';
import type { EvaluationContext, JsonPrimitive, Operator, TargetingRule } from './model.js';
import { OPERATORS } from './model.js';
import { compileCondition } from './operators.js';

type Row = [attributeValue: unknown, values: JsonPrimitive[], expected: boolean];

function holds(
  operator: Operator,
  value: unknown,
  values: JsonPrimitive[],
  extra: Partial<TargetingRule> = {},
): boolean {
  const context = (value === undefined ? {} : { a: value }) as EvaluationContext;
  return compileCondition({ attribute: 'a', operator, values, ...extra })(context);
}

const table: Record<Operator, Row[]> = {
  equals: [
    ['US', ['US'], true],
    ['US', ['CA', 'US'], true],
    ['us', ['US'], false],
    [30, ['30'], true],
    ['30', [30], true],
    ['30.0', [30], true],
    ['30.0', ['30'], false],
    [true, ['true'], true],
    ['false', [false], true],
    [1, [true], false],
    [new Date(1000), [1000], true],
    [['x', 'US'], ['US'], true],
    [[], ['US'], false],
  ],
  not_equals: [
    ['CA', ['US'], true],
    ['US', ['US'], false],
    [['US', 'CA'], ['US'], false],
    [[], ['US'], true],
  ],
  in: [
    ['UK', ['US', 'CA', 'UK'], true],
    ['FR', ['US', 'CA', 'UK'], false],
    [2, [1, 2, 3], true],
  ],
  not_in: [
    ['FR', ['US', 'CA'], true],
    ['US', ['US', 'CA'], false],
  ],
  contains: [
    ['ann@company.com', ['@company.com'], true],
    ['ann@gmail.com', ['@company.com', '@corp.com'], false],
    [12345, [234], true],
    [new Date(0), ['1970'], false],
    [['alphabet'], ['alpha'], true],
  ],
  not_contains: [
    ['ann@gmail.com', ['@company.com'], true],
    ['ann@company.com', ['@company.com'], false],
  ],
  starts_with: [
    ['admin@x', ['admin@'], true],
    ['x-admin@', ['admin@'], false],
  ],
  ends_with: [
    ['kim@uni.edu', ['.edu'], true],
    ['kim@uni.education', ['.edu'], false],
  ],
  greater_than: [
    [81, [80], true],
    [80, [80], false],
    ['95', [80], true],
    ['high', [80], false],
    [true, [0], false],
    [Number.POSITIVE_INFINITY, [80], true],
    [new Date(2000), [1000], true],
  ],
  greater_than_or_equal: [
    [80, [80], true],
    [79.9, ['80'], false],
  ],
  less_than: [
    [17.5, ['18'], true],
    [18, [18], false],
    [-1, [0], true],
  ],
  less_than_or_equal: [
    [18, [18], true],
    [19, [18], false],
  ],
  semver_equals: [
    ['2.1.0', ['2.1.0'], true],
    ['v2.1.0+b.7', ['2.1.0'], true],
    ['2.1.0-rc.1', ['2.1.0'], false],
    [2.1, ['2.1.0'], false],
  ],
  semver_greater_than: [
    ['2.10.0', ['2.9.0'], true],
    ['2.1.0', ['2.1.0-rc.1'], true],
    ['3.0', ['2.1.0'], false],
  ],
  semver_less_than: [
    ['2.1.0-beta.2', ['2.1.0'], true],
    ['2.1.1', ['2.1.0'], false],
  ],
  date_before: [
    ['2024-01-01', ['2024-06-01'], true],
    ['2024-06-02', ['2024-06-01'], false],
    [Date.UTC(2024, 0, 1), ['2024-06-01'], true],
    [new Date(Date.UTC(2024, 0, 1)), ['2024-06-01'], true],
    ['yesterday', ['2024-06-01'], false],
    [true, [0], false],
  ],
  date_after: [
    ['2024-06-01T00:00:01Z', ['2024-06-01T00:00:00Z'], true],
    ['2024-06-01T02:00:00+02:00', ['2024-06-01T00:00:00Z'], false],
    [1_735_689_600_000, [1_717_200_000_000], true],
  ],
  exists: [
    ['x', [], true],
    ['', [], true],
    [0, [], true],
    [false, [], true],
    [[], [], true],
    [null, [], false],
    [Number.NaN, [], false],
    [{ nested: 1 }, [], false],
    [undefined, [], false],
  ],
  not_exists: [
    [undefined, [], true],
    [null, [], true],
    ['x', [], false],
  ],
};

describe('operators', () => {
  it('the table covers every operator', () => {
    expect(Object.keys(table).sort()).toEqual([...OPERATORS].sort());
  });

  for (const operator of OPERATORS) {
    it.each(
      table[operator].map(
        ([value, values, expected]) => [JSON.stringify(value) ?? String(value), values, expected, value] as const,
      ),
    )(`${operator}: attribute %s, values %j → %s`, (_, values, expected, value) => {
      expect(holds(operator, value, values)).toBe(expected);
    });
  }

  it('a missing attribute fails every operator except not_exists, with or without negate', () => {
    for (const operator of OPERATORS) {
      if (operator === 'exists' || operator === 'not_exists') continue;
      const values: JsonPrimitive[] = operator.startsWith('semver') ? ['1.0.0'] : ['1'];
      for (const missing of [undefined, null, Number.NaN, { an: 'object' }, () => 1]) {
        expect(holds(operator, missing, values)).toBe(false);
        expect(holds(operator, missing, values, { negate: true })).toBe(false);
      }
    }
  });

  it('negate inverts the outcome for a present attribute, including a type mismatch', () => {
    expect(holds('equals', 'US', ['US'], { negate: true })).toBe(false);
    expect(holds('not_equals', 'US', ['US'], { negate: true })).toBe(true);
    expect(holds('greater_than', 'high', [80], { negate: true })).toBe(true);
    expect(holds('exists', undefined, [], { negate: true })).toBe(true);
    expect(holds('not_exists', undefined, [], { negate: true })).toBe(false);
  });

  it('caseInsensitive applies to string comparisons', () => {
    expect(holds('equals', 'us', ['US'], { caseInsensitive: true })).toBe(true);
    expect(holds('in', 'Premium', ['premium', 'gold'], { caseInsensitive: true })).toBe(true);
    expect(holds('contains', 'ANN@COMPANY.COM', ['@company.com'], { caseInsensitive: true })).toBe(true);
    expect(holds('starts_with', 'Admin@x', ['admin@'], { caseInsensitive: true })).toBe(true);
    expect(holds('ends_with', 'KIM@UNI.EDU', ['.edu'], { caseInsensitive: true })).toBe(true);
    expect(holds('equals', 'TRUE', [true], { caseInsensitive: true })).toBe(true);
  });

  it('reads targetingKey and userId as the same attribute', () => {
    const byUserId = compileCondition({ attribute: 'userId', operator: 'equals', values: ['u1'] });
    const byKey = compileCondition({ attribute: 'targetingKey', operator: 'equals', values: ['u1'] });
    expect(byUserId({ targetingKey: 'u1' })).toBe(true);
    expect(byKey({ userId: 'u1' })).toBe(true);
  });

  it('does not read inherited properties as attributes', () => {
    const condition = compileCondition({ attribute: 'toString', operator: 'exists', values: [] });
    expect(condition({})).toBe(false);
  });
});
