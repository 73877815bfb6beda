import { describe, expect, it } from 'vitest';
import type { StoredFlag } from '../../api/types.js';
import { facetsOf, filterFlags, NO_FILTERS } from './flag-filters.js';

const flag = (name: string, extra: Partial<StoredFlag> = {}): StoredFlag => ({
  name,
  description: '',
  tags: [],
  type: 'boolean',
  variants: [],
  version: 1,
  revision: 1,
  createdAt: 'c',
  updatedAt: 'u',
  environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
  ...extra,
});

const FLAGS = [
  flag('new-checkout', { owner: 'payments', tags: ['checkout'] }),
  flag('dark-mode', {
    owner: 'web',
    tags: ['ui', 'checkout'],
    environments: { staging: { enabled: false, rules: [], fallthrough: { serve: false } } },
  }),
  flag('everywhere', { environments: { '*': { enabled: true, rules: [], fallthrough: { serve: true } } } }),
];
const names = (flags: StoredFlag[]) => flags.map((f) => f.name);

describe('filterFlags', () => {
  it('searches names case-insensitively and combines tag, owner, environment and stale filters', () => {
    expect(names(filterFlags(FLAGS, { ...NO_FILTERS, name: 'CHECK' }, undefined))).toEqual(['new-checkout']);
    expect(names(filterFlags(FLAGS, { ...NO_FILTERS, tag: 'checkout' }, undefined))).toEqual([
      'new-checkout',
      'dark-mode',
    ]);
    expect(names(filterFlags(FLAGS, { ...NO_FILTERS, tag: 'checkout', owner: 'web' }, undefined))).toEqual([
      'dark-mode',
    ]);
    expect(names(filterFlags(FLAGS, { ...NO_FILTERS, environment: 'staging' }, undefined))).toEqual([
      'dark-mode',
      'everywhere',
    ]);
    expect(names(filterFlags(FLAGS, { ...NO_FILTERS, staleOnly: true }, new Set(['everywhere'])))).toEqual([
      'everywhere',
    ]);
    expect(names(filterFlags(FLAGS, { ...NO_FILTERS, staleOnly: true }, undefined))).toEqual([]);
  });
});

describe('facetsOf', () => {
  it('lists distinct tags and owners, sorted', () => {
    expect(facetsOf(FLAGS)).toEqual({ tags: ['checkout', 'ui'], owners: ['payments', 'web'] });
  });
});
