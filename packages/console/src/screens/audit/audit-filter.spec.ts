import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '@switchyard/protocol';
import { matchesLocally, NO_FILTER } from './audit-filter.js';

const entry: AuditEntry = {
  id: '1',
  at: '2026-12-04T10:00:00.000Z',
  actor: 'Ops Editor',
  actorKeyId: '0f3c9a1d2e4b5a69',
  actorRole: 'editor',
  action: 'flag.patch',
  flagName: 'a',
};

describe('matchesLocally (the filters the relay does not apply)', () => {
  it('matches the actor by part of its name in any case, or by its exact key id', () => {
    expect(matchesLocally(entry, { ...NO_FILTER, actor: 'ops ed' })).toBe(true);
    expect(matchesLocally(entry, { ...NO_FILTER, actor: '0f3c9a1d2e4b5a69' })).toBe(true);
    expect(matchesLocally(entry, { ...NO_FILTER, actor: 'viewer' })).toBe(false);
  });

  it('matches the action exactly, and "to" keeps entries at or before it', () => {
    expect(matchesLocally(entry, { ...NO_FILTER, action: 'flag.patch' })).toBe(true);
    expect(matchesLocally(entry, { ...NO_FILTER, action: 'flag.update' })).toBe(false);
    const local = (iso: string) => {
      const date = new Date(iso);
      return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    };
    expect(matchesLocally(entry, { ...NO_FILTER, to: local('2026-12-04T10:01:00.000Z') })).toBe(true);
    expect(matchesLocally(entry, { ...NO_FILTER, to: local('2026-12-04T09:59:00.000Z') })).toBe(false);
  });
});
