import type { Flag, JsonValue } from '@switchyard/core';

/** The OpenFeature getter a case calls, by the flag type it asks for. */
type RequestedType = 'boolean' | 'string' | 'number' | 'object';

/** One evaluation every client makes: flag, getter, the application's default, context. */
export interface CompatCase {
  id: string;
  flag: string;
  type: RequestedType;
  default: JsonValue;
  context: Record<string, JsonValue>;
}

/** What a client reports for a case (the OpenFeature evaluation details it got). */
export interface ClientOutcome {
  id: string;
  value: JsonValue;
  variant?: string | null;
  reason: string;
  errorCode?: string | null;
}

const on = (
  rules: Flag['environments'][string]['rules'],
  fallthrough: Flag['environments'][string]['fallthrough'],
) => ({
  production: { enabled: true, rules, fallthrough },
});
const off = { production: { enabled: false, rules: [], fallthrough: { serve: true } } };
const proPlan = {
  strategy: 'user_attribute' as const,
  targetingRules: [{ attribute: 'plan', operator: 'equals' as const, values: ['pro'] }],
};

/** The flags of the table, one per shape the issue names (docs/ofrep-clients.md). */
export const COMPAT_FLAGS: Array<Partial<Flag> & { name: string }> = [
  {
    name: 'compat-plain',
    type: 'boolean',
    variants: [],
    environments: on([{ strategy: 'user_list', userIds: ['alice'] }], { serve: false }),
  },
  {
    name: 'compat-bool-variants',
    type: 'boolean',
    variants: [
      { name: 'enabled', value: true, weight: 100 },
      { name: 'disabled', value: false, weight: 0 },
    ],
    environments: on([], { serve: true, variant: 'enabled' }),
  },
  {
    name: 'compat-string',
    type: 'string',
    variants: [
      { name: 'light', value: 'light', weight: 100 },
      { name: 'dark', value: 'dark', weight: 0 },
    ],
    environments: on([{ ...proPlan, variant: 'dark' }], { serve: true, variant: 'light' }),
  },
  {
    name: 'compat-number',
    type: 'number',
    variants: [{ name: 'ten', value: 10, weight: 100 }],
    environments: on([], { serve: true }),
  },
  {
    name: 'compat-object',
    type: 'object',
    variants: [{ name: 'grid', value: { columns: 3, dense: false }, weight: 100 }],
    environments: on([], { serve: true }),
  },
  {
    name: 'compat-split',
    type: 'string',
    variants: [
      { name: 'red', value: 'red', weight: 50 },
      { name: 'blue', value: 'blue', weight: 50 },
    ],
    environments: on([], { serve: true }),
  },
  { name: 'compat-disabled-plain', type: 'boolean', variants: [], environments: off },
  {
    name: 'compat-disabled-off-variant',
    type: 'string',
    variants: [
      { name: 'new', value: 'new copy', weight: 100 },
      { name: 'old', value: 'old copy', weight: 0 },
    ],
    offVariant: 'old',
    environments: off,
  },
  {
    name: 'compat-disabled-string',
    type: 'string',
    variants: [{ name: 'hello', value: 'Hello', weight: 100 }],
    environments: off,
  },
  {
    name: 'compat-disabled-number',
    type: 'number',
    variants: [{ name: 'ten', value: 10, weight: 100 }],
    environments: off,
  },
  {
    name: 'compat-disabled-object',
    type: 'object',
    variants: [{ name: 'grid', value: { columns: 3 }, weight: 100 }],
    environments: off,
  },
  {
    name: 'compat-percentage',
    type: 'boolean',
    variants: [],
    environments: on([{ strategy: 'percentage', percentage: 50 }], { serve: false }),
  },
];

const alice = { targetingKey: 'alice' };
const bob = { targetingKey: 'bob' };

/** Every case runs in every client. */
export const COMPAT_CASES: CompatCase[] = [
  {
    id: 'boolean without variants, served (targeting match)',
    flag: 'compat-plain',
    type: 'boolean',
    default: false,
    context: alice,
  },
  { id: 'boolean without variants, not served', flag: 'compat-plain', type: 'boolean', default: true, context: bob },
  { id: 'boolean with variants', flag: 'compat-bool-variants', type: 'boolean', default: false, context: bob },
  {
    id: 'string, targeting match',
    flag: 'compat-string',
    type: 'string',
    default: 'none',
    context: { targetingKey: 'carol', plan: 'pro' },
  },
  {
    id: 'string, fallthrough',
    flag: 'compat-string',
    type: 'string',
    default: 'none',
    context: { targetingKey: 'carol', plan: 'free' },
  },
  { id: 'number', flag: 'compat-number', type: 'number', default: 1, context: bob },
  { id: 'object', flag: 'compat-object', type: 'object', default: { columns: 1 }, context: bob },
  { id: 'split', flag: 'compat-split', type: 'string', default: 'none', context: { targetingKey: 'user-7' } },
  {
    id: 'disabled boolean without variants',
    flag: 'compat-disabled-plain',
    type: 'boolean',
    default: true,
    context: bob,
  },
  {
    id: 'disabled with an off variant',
    flag: 'compat-disabled-off-variant',
    type: 'string',
    default: 'app default',
    context: bob,
  },
  {
    id: 'disabled string without an off variant',
    flag: 'compat-disabled-string',
    type: 'string',
    default: 'app default',
    context: bob,
  },
  {
    id: 'disabled number without an off variant',
    flag: 'compat-disabled-number',
    type: 'number',
    default: 7,
    context: bob,
  },
  {
    id: 'disabled object without an off variant',
    flag: 'compat-disabled-object',
    type: 'object',
    default: { shown: false },
    context: bob,
  },
  { id: 'flag not found', flag: 'compat-no-such-flag', type: 'string', default: 'fallback', context: bob },
  { id: 'type mismatch', flag: 'compat-string', type: 'number', default: 5, context: bob },
  { id: 'targeting key missing', flag: 'compat-percentage', type: 'boolean', default: true, context: { plan: 'pro' } },
];
