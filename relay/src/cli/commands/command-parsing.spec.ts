import { describe, expect, it } from 'vitest';
import { createProgram } from '../main.js';
import { sinceTime } from './audit.js';
import { userContextFrom } from './evaluate.js';

describe('command option parsing', () => {
  it('when --attr names a UserContext field, then it sits at the top; others go under attributes, typed', () => {
    expect(
      userContextFrom({ user: 'u1', attr: ['plan=premium', 'age=25', 'beta=true', 'zip=02134'] } as never),
    ).toEqual({
      userId: 'u1',
      plan: 'premium',
      attributes: { age: 25, beta: true, zip: '02134' },
    });
  });

  it('when --since is a duration, then it means that long before now', () => {
    const now = Date.parse('2026-01-10T00:00:00Z');
    expect(sinceTime('24h', now)).toBe('2026-01-09T00:00:00.000Z');
    expect(sinceTime('7d', now)).toBe('2026-01-03T00:00:00.000Z');
    expect(sinceTime('2026-01-01T00:00:00Z', now)).toBe('2026-01-01T00:00:00.000Z');
    expect(() => sinceTime('yesterday', now)).toThrow(/ISO 8601/);
  });
});

describe('--env in --help', () => {
  const envHelp = (name: string) =>
    createProgram()
      .commands.find((command) => command.name() === name)!
      .options.find((option) => option.long === '--env')!.description;

  it.each(['list', 'get', 'history', 'export', 'analytics', 'audit'])(
    'when %s --help describes --env, then it says every environment is shown without it',
    (name) => {
      expect(envHelp(name)).toContain('default: every environment');
    },
  );

  it.each(['enable', 'disable', 'update', 'evaluate'])(
    "when %s --help describes --env, then it says the relay's default environment applies",
    (name) => {
      expect(envHelp(name)).toContain("default: the relay's default environment");
    },
  );
});
