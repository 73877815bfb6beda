import { describe, expect, it } from 'vitest';
import { numericString, parseIsoDate, toEpochMs, toNumber } from './coercion.js';

describe('numeric strings', () => {
  it.each([
    ['42', 42],
    ['-1.5', -1.5],
    ['+3', 3],
    ['.5', 0.5],
    ['1e3', 1000],
    ['007', 7],
  ])('reads %j as %d', (text, n) => expect(numericString(text)).toBe(n));

  it.each(['', ' ', ' 42', '0x10', 'Infinity', 'NaN', '1,000', '12abc', '1e999', '-'])('refuses %j', (text) =>
    expect(numericString(text)).toBeUndefined(),
  );

  it('reads a decimal string of up to 64 characters, and never a longer one (docs/concepts.md, length bounds)', () => {
    expect(numericString(`1${'0'.repeat(63)}`)).toBe(1e63);
    expect(numericString(`1${'0'.repeat(64)}`)).toBeUndefined();
  });

  it('reads numbers, numeric strings and Dates as numbers, nothing else', () => {
    expect(toNumber(5)).toBe(5);
    expect(toNumber('5')).toBe(5);
    expect(toNumber(new Date(10))).toBe(10);
    expect(toNumber(Number.NaN)).toBeUndefined();
    expect(toNumber(true)).toBeUndefined();
    expect(toNumber(new Date(Number.NaN))).toBeUndefined();
  });
});

describe('ISO 8601 dates', () => {
  it('reads dates and date-times; a date-time without an offset is UTC', () => {
    expect(parseIsoDate('2024-01-31')).toBe(Date.UTC(2024, 0, 31));
    expect(parseIsoDate('2024-01-31T12:30:00Z')).toBe(Date.UTC(2024, 0, 31, 12, 30));
    expect(parseIsoDate('2024-01-31T12:30:00')).toBe(Date.UTC(2024, 0, 31, 12, 30));
    expect(parseIsoDate('2024-01-31T12:30')).toBe(Date.UTC(2024, 0, 31, 12, 30));
    expect(parseIsoDate('2024-01-31T12:30:00.123456Z')).toBe(Date.UTC(2024, 0, 31, 12, 30, 0, 123));
    expect(parseIsoDate('2024-01-31T12:30:00+02:00')).toBe(Date.UTC(2024, 0, 31, 10, 30));
    expect(parseIsoDate('2024-01-31T12:30:00-0130')).toBe(Date.UTC(2024, 0, 31, 14, 0));
    expect(parseIsoDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
  });

  it.each([
    '2024-02-30',
    '2023-02-29',
    '2024-13-01',
    '2024-00-10',
    '2024-01-01T25:00:00Z',
    'yesterday',
    '01/02/2024',
    '2024-1-1',
    '',
  ])('refuses %j', (text) => expect(parseIsoDate(text)).toBeUndefined());

  it('reads epoch milliseconds, Dates and ISO strings as instants', () => {
    expect(toEpochMs(1_700_000_000_000)).toBe(1_700_000_000_000);
    expect(toEpochMs(new Date(5))).toBe(5);
    expect(toEpochMs('1970-01-01T00:00:00.005Z')).toBe(5);
    expect(toEpochMs(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(toEpochMs(false)).toBeUndefined();
  });
});
