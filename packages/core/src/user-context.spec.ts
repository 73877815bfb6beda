import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UserContext } from './model.js';
import { toEvaluationContext, toUserContext } from './user-context.js';

describe('user context mapping', () => {
  it('maps the seed UserContext to an OpenFeature context: targetingKey = userId, the rest at the top level', () => {
    const user: UserContext = {
      userId: 'user-123',
      email: 'user@example.com',
      role: 'user',
      plan: 'premium',
      country: 'US',
      attributes: { age: 25, signupDate: '2024-01-01' },
    };
    expect(toEvaluationContext(user)).toEqual({
      targetingKey: 'user-123',
      email: 'user@example.com',
      role: 'user',
      plan: 'premium',
      country: 'US',
      age: 25,
      signupDate: '2024-01-01',
    });
  });

  it('when an attribute collides with a named field, then the named field wins; attributes.targetingKey is dropped', () => {
    expect(
      toEvaluationContext({
        userId: 'u',
        plan: 'free',
        attributes: { plan: 'premium', targetingKey: 'evil', tier: 2 },
      }),
    ).toEqual({ targetingKey: 'u', plan: 'free', tier: 2 });
    expect(toEvaluationContext({ attributes: { plan: 'premium', targetingKey: 'evil' } })).toEqual({ plan: 'premium' });
  });

  it('maps an OpenFeature context back: targetingKey (else userId) → userId, named strings → fields, the rest → attributes', () => {
    expect(
      toUserContext({ targetingKey: 'u', email: 'e@x', plan: 'p', age: 3, when: new Date(0), bad: Number.NaN }),
    ).toEqual({
      userId: 'u',
      email: 'e@x',
      plan: 'p',
      attributes: { age: 3, when: '1970-01-01T00:00:00.000Z' },
    });
    expect(toUserContext({ userId: 'legacy' })).toEqual({ userId: 'legacy' });
    expect(toUserContext({ targetingKey: 'u', userId: 'other' })).toEqual({
      userId: 'u',
      attributes: { userId: 'other' },
    });
    expect(toUserContext({ country: 7 })).toEqual({ attributes: { country: 7 } });
  });

  it('when given no object, then maps it to an empty one', () => {
    expect(toEvaluationContext(null as unknown as UserContext)).toEqual({});
    expect(toUserContext(undefined as unknown as Record<string, never>)).toEqual({});
  });

  it('drops what is nested too deep, so a cyclic context does not overflow', () => {
    const cyclic: Record<string, unknown> = { id: 1 };
    cyclic['self'] = cyclic;
    expect(() => toUserContext({ targetingKey: 'u', cyclic } as never)).not.toThrow();
  });

  it('when a context parsed from JSON has a "__proto__" key, then it is copied as an attribute and never becomes a prototype', () => {
    const context = toEvaluationContext({
      userId: 'u',
      attributes: JSON.parse('{"__proto__": {"plan": "premium"}}') as Record<string, never>,
    });
    expect(Object.getPrototypeOf(context)).toBe(Object.prototype);
    expect(context['plan']).toBeUndefined();
    expect(Object.keys(context)).toEqual(['__proto__', 'targetingKey']);
    const user = toUserContext(
      JSON.parse('{"targetingKey": "u", "__proto__": {"plan": "premium"}, "nested": {"__proto__": "x"}}') as never,
    );
    expect(Object.getPrototypeOf(user.attributes)).toBe(Object.prototype);
    expect(user.attributes?.['plan']).toBeUndefined();
    expect(Object.keys(user.attributes ?? {})).toEqual(['__proto__', 'nested']);
    expect(Object.keys(user.attributes?.['nested'] as object)).toEqual(['__proto__']);
  });

  it('round-trips any UserContext whose attributes do not collide with named fields', () => {
    const json = fc.jsonValue({ maxDepth: 2 }).filter((v) => !JSON.stringify(v).includes('-0'));
    const user = fc.record(
      {
        userId: fc.string(),
        email: fc.string(),
        role: fc.string(),
        plan: fc.string(),
        country: fc.string(),
        attributes: fc.dictionary(
          fc.string().filter((k) => !['targetingKey', 'userId', 'email', 'role', 'plan', 'country'].includes(k)),
          json,
          { minKeys: 1 },
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(user, (u) => {
        expect(toUserContext(toEvaluationContext(u as UserContext))).toEqual(u);
      }),
    );
  });
});
