import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { murmur3, murmur3Continue, murmur3ContinueAt, murmur3Prefix } from './murmur3.js';

describe('murmur3', () => {
  it.each([
    ['', 0, 0],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['\0\0\0\0', 0, 0x2362f9de],
    ['a', 0x9747b28c, 0x7fa09ea6],
    ['ab', 0x9747b28c, 0x74875592],
    ['abc', 0x9747b28c, 0xc84a62dd],
    ['abcd', 0x9747b28c, 0xf0478627],
    ['aaaa', 0x9747b28c, 0x5a97808a],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['ππππππππ', 0x9747b28c, 0xd58063c1],
    ['abc', 0, 0xb3dd93fa],
    ['Hello, world!', 0, 0xc0363e43],
    ['The quick brown fox jumps over the lazy dog', 0, 0x2e4ff723],
  ])('hashes %j with seed %i to the published value', (text, seed, expected) => {
    expect(murmur3(text, seed)).toBe(expected);
  });

  it('hashes what UTF-8 encoding keeps: a string and its UTF-8 round trip hash alike, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(murmur3(text)).toBe(murmur3(Buffer.from(text, 'utf8').toString('utf8')));
      }),
    );
  });

  it('hashes a lone surrogate as U+FFFD, as TextEncoder encodes it', () => {
    expect(murmur3('a\ud800b')).toBe(murmur3('a\ufffdb'));
    expect(murmur3('\udc00')).toBe(murmur3('\ufffd'));
    expect(murmur3('😀')).not.toBe(murmur3('\ufffd\ufffd'));
  });

  it('hashing a prefix then the rest equals hashing the whole string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), fc.nat(), (prefix, rest, seed) => {
        expect(murmur3Continue(murmur3Prefix(prefix, seed), rest)).toBe(murmur3(prefix + rest, seed));
      }),
    );
  });

  it('hashing one key after many prefixes in turn (a user across flags) equals hashing each whole string', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 3 }),
        (prefixes, keys) => {
          for (const key of keys)
            for (const prefix of [...prefixes, ...prefixes]) {
              const { h1, tail, shift, length } = murmur3Prefix(prefix);
              const state = Int32Array.of(h1, tail, shift, length);
              expect(murmur3ContinueAt(state, 0, key, true)).toBe(murmur3(prefix + key));
            }
        },
      ),
    );
  });

  it('returns unsigned 32-bit integers', () => {
    fc.assert(
      fc.property(
        fc.string(),
        (text) => Number.isInteger(murmur3(text)) && murmur3(text) >= 0 && murmur3(text) < 2 ** 32,
      ),
    );
  });
});
