import { describe, expect, it } from 'vitest';
import { compareSemVer, parseSemVer } from './semver.js';

const cmp = (a: string, b: string): number => Math.sign(compareSemVer(parseSemVer(a)!, parseSemVer(b)!));

describe('semantic versions', () => {
  it.each([
    '1.2.3',
    'v1.2.3',
    'V0.0.0',
    '1.2.3-alpha',
    '1.2.3-alpha.1',
    '1.2.3+build.5',
    '1.2.3-rc.1+exp.sha.5114f85',
    '10.20.30',
  ])('parses %s', (text) => {
    expect(parseSemVer(text)).toBeDefined();
  });

  it.each([
    '1.2',
    '1',
    '',
    '01.2.3',
    '1.2.3-',
    '1.2.3-01',
    'a.b.c',
    '1.2.3.4',
    ' 1.2.3',
    '1.2.3 ',
    `1.2.3-${'a'.repeat(300)}`,
    '99999999999999999999.0.0',
  ])('refuses %j', (text) => {
    expect(parseSemVer(text)).toBeUndefined();
  });

  it('orders by major, minor, patch numerically', () => {
    expect(cmp('2.10.0', '2.9.9')).toBe(1);
    expect(cmp('1.0.0', '2.0.0')).toBe(-1);
    expect(cmp('1.0.10', '1.0.9')).toBe(1);
  });

  it('orders prereleases by the semver 2.0.0 rules, below their release', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
    ];
    for (let i = 1; i < ordered.length; i++) expect(cmp(ordered[i - 1]!, ordered[i]!)).toBe(-1);
  });

  it('ignores build metadata and the v prefix', () => {
    expect(cmp('v1.2.3+build.1', '1.2.3')).toBe(0);
  });
});
