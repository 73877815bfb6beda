/**
 * MurmurHash3 (x86, 32-bit) over the UTF-8 bytes of strings, written out here so the core stays
 * dependency-free and browser-safe. Lone surrogates hash as U+FFFD, as `TextEncoder` encodes them,
 * so any platform that hashes the UTF-8 encoding gets the same number.
 *
 * Strings are encoded on the fly (no byte array is allocated), and a precomputed prefix state
 * lets bucketing hash only the user's key.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** The hash state after some bytes: resume it with `murmur3Continue`. */
export interface Murmur3State {
  readonly h1: number;
  /** Bytes of the unfinished 4-byte block, little-endian. */
  readonly tail: number;
  /** Bits already in `tail`: 0, 8, 16 or 24. */
  readonly shift: number;
  readonly length: number;
}

function scramble(k: number): number {
  const k1 = Math.imul(k, C1);
  return Math.imul((k1 << 15) | (k1 >>> 17), C2);
}

function mixBlock(h: number, k: number): number {
  const h1 = h ^ scramble(k);
  return (Math.imul((h1 << 13) | (h1 >>> 19), 5) + 0xe6546b64) | 0;
}

function finish(h: number, tail: number, shift: number, length: number): number {
  let h1 = shift > 0 ? h ^ scramble(tail) : h;
  h1 ^= length;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  return h1 >>> 0;
}

/** Where `absorb` leaves the state when asked to keep it (prefixes are computed once per flag). */
const kept = { h1: 0, tail: 0, shift: 0, length: 0 };

/**
 * Hashes `text` on from the state (h1, tail, shift, length): returns the final hash, or with `keep`
 * stores the state in `kept`. The state comes as numbers, so callers read it from objects of any
 * class without making the hashing loop's property reads polymorphic.
 */
function absorb(h1: number, tail: number, shift: number, length: number, text: string, keep: boolean): number {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    if (shift === 0 && i + 3 < n) {
      // Four ASCII characters on a block boundary are one block: no per-byte shifting.
      const c0 = text.charCodeAt(i);
      const c1 = text.charCodeAt(i + 1);
      const c2 = text.charCodeAt(i + 2);
      const c3 = text.charCodeAt(i + 3);
      if ((c0 | c1 | c2 | c3) < 0x80) {
        h1 = mixBlock(h1, c0 | (c1 << 8) | (c2 << 16) | (c3 << 24));
        length += 4;
        i += 3;
        continue;
      }
    }
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      // ASCII, the common case for keys: one byte, no encoding loop.
      tail |= code << shift;
      length++;
      if ((shift += 8) === 32) {
        h1 = mixBlock(h1, tail);
        tail = 0;
        shift = 0;
      }
      continue;
    }
    // Multi-byte UTF-8, packed little-endian into `bytes`.
    let bytes: number;
    let count: number;
    const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
    if (code < 0x800) {
      bytes = 0xc0 | (code >> 6) | ((0x80 | (code & 0x3f)) << 8);
      count = 2;
    } else if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      const point = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
      bytes =
        0xf0 |
        (point >> 18) |
        ((0x80 | ((point >> 12) & 0x3f)) << 8) |
        ((0x80 | ((point >> 6) & 0x3f)) << 16) |
        ((0x80 | (point & 0x3f)) << 24);
      count = 4;
      i++;
    } else {
      const point = code >= 0xd800 && code <= 0xdfff ? 0xfffd : code;
      bytes = 0xe0 | (point >> 12) | ((0x80 | ((point >> 6) & 0x3f)) << 8) | ((0x80 | (point & 0x3f)) << 16);
      count = 3;
    }
    for (let b = 0; b < count; b++) {
      tail |= ((bytes >>> (b << 3)) & 0xff) << shift;
      length++;
      if ((shift += 8) === 32) {
        h1 = mixBlock(h1, tail);
        tail = 0;
        shift = 0;
      }
    }
  }
  if (!keep) return finish(h1, tail, shift, length);
  kept.h1 = h1;
  kept.tail = tail;
  kept.shift = shift;
  kept.length = length;
  return 0;
}

/** The 32-bit MurmurHash3 of `text`'s UTF-8 bytes, as an unsigned integer. */
export function murmur3(text: string, seed = 0): number {
  return absorb(seed | 0, 0, 0, 0, text, false);
}

/** The state after hashing `prefix`, to hash many strings that begin with it. */
export function murmur3Prefix(prefix: string, seed = 0): Murmur3State {
  absorb(seed | 0, 0, 0, 0, prefix, true);
  return { ...kept };
}

/** The hash of the prefix `state` was made from followed by `rest`; equals `murmur3(prefix + rest)`. */
export function murmur3Continue(state: Murmur3State, rest: string): number {
  return absorb(state.h1, state.tail, state.shift, state.length, rest, false);
}
