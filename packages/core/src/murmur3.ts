/**
 * MurmurHash3 (x86, 32-bit) over the UTF-8 bytes of strings, written out here so the core stays
 * dependency-free and browser-safe. Lone surrogates hash as U+FFFD, as `TextEncoder` encodes them,
 * so any platform that hashes the UTF-8 encoding gets the same number.
 *
 * The state lives in module variables (JavaScript runs one hash at a time) so that hashing a
 * precomputed prefix plus a key allocates nothing.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** The hash state after some bytes: resume it with `murmur3Continue`. */
export interface Murmur3State {
  readonly h1: number;
  readonly tail: number;
  readonly tailBytes: number;
  readonly length: number;
}

let h1 = 0;
let tail = 0;
let tailBytes = 0;
let length = 0;

function mixBlock(k: number): void {
  let k1 = Math.imul(k, C1);
  k1 = (k1 << 15) | (k1 >>> 17);
  h1 ^= Math.imul(k1, C2);
  h1 = (h1 << 13) | (h1 >>> 19);
  h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
}

function pushByte(byte: number): void {
  tail |= byte << (tailBytes << 3);
  length++;
  if (++tailBytes === 4) {
    mixBlock(tail);
    tail = 0;
    tailBytes = 0;
  }
}

function pushString(text: string): void {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      pushByte(code);
      continue;
    }
    if (code < 0x800) {
      pushByte(0xc0 | (code >> 6));
      pushByte(0x80 | (code & 0x3f));
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
        pushByte(0xf0 | (code >> 18));
        pushByte(0x80 | ((code >> 12) & 0x3f));
        pushByte(0x80 | ((code >> 6) & 0x3f));
        pushByte(0x80 | (code & 0x3f));
        continue;
      }
      code = 0xfffd;
    }
    pushByte(0xe0 | (code >> 12));
    pushByte(0x80 | ((code >> 6) & 0x3f));
    pushByte(0x80 | (code & 0x3f));
  }
}

function finish(): number {
  if (tailBytes > 0) {
    let k1 = Math.imul(tail, C1);
    k1 = (k1 << 15) | (k1 >>> 17);
    h1 ^= Math.imul(k1, C2);
  }
  let h = h1 ^ length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function start(seed: number): void {
  h1 = seed | 0;
  tail = 0;
  tailBytes = 0;
  length = 0;
}

/** The 32-bit MurmurHash3 of `text`'s UTF-8 bytes, as an unsigned integer. */
export function murmur3(text: string, seed = 0): number {
  start(seed);
  pushString(text);
  return finish();
}

/** The state after hashing `prefix`, to hash many strings that begin with it. */
export function murmur3Prefix(prefix: string, seed = 0): Murmur3State {
  start(seed);
  pushString(prefix);
  return { h1, tail, tailBytes, length };
}

/** The hash of the prefix `state` was made from followed by `rest`; equals `murmur3(prefix + rest)`. */
export function murmur3Continue(state: Murmur3State, rest: string): number {
  h1 = state.h1;
  tail = state.tail;
  tailBytes = state.tailBytes;
  length = state.length;
  pushString(rest);
  return finish();
}
