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
 * The UTF-8 bytes of a non-ASCII character `code` (with the following code unit `next`, for a
 * surrogate pair), packed little-endian; utf8Count says how many.
 */
function utf8Bytes(code: number, next: number): number {
  if (code < 0x800) return 0xc0 | (code >> 6) | ((0x80 | (code & 0x3f)) << 8);
  if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
    const point = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
    return (
      0xf0 |
      (point >> 18) |
      ((0x80 | ((point >> 12) & 0x3f)) << 8) |
      ((0x80 | ((point >> 6) & 0x3f)) << 16) |
      ((0x80 | (point & 0x3f)) << 24)
    );
  }
  const point = code >= 0xd800 && code <= 0xdfff ? 0xfffd : code;
  return 0xe0 | (point >> 12) | ((0x80 | ((point >> 6) & 0x3f)) << 8) | ((0x80 | (point & 0x3f)) << 16);
}

/** How many bytes utf8Bytes packed for `code` (a surrogate pair's high half: 4, and the pair counts as one). */
function utf8Count(code: number, next: number): number {
  if (code < 0x800) return 2;
  return code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 4 : 3;
}

/**
 * Hashes `text` on from the state stored as four integers from `state[at]` (h1, tail, shift,
 * length): returns the final hash, or with `keep` stores the state in `kept`. The state is read
 * from an Int32Array rather than passed as numbers: h1 is a 32-bit integer, which an engine may
 * have to box (allocate) to pass to a function it does not inline, and hashing is per evaluation.
 */
function absorb(state: Int32Array, at: number, text: string, keep: boolean): number {
  let h1 = state[at]!;
  let tail = state[at + 1]!;
  let shift = state[at + 2]!;
  let length = state[at + 3]!;
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
    const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
    const bytes = utf8Bytes(code, next);
    const count = utf8Count(code, next);
    if (count === 4) i++;
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

/**
 * The key encoded last: evaluating many flags for one user hashes the same bucketing key after
 * each flag's own prefix, so from its second hashing on, the key's UTF-8 bytes are read as 32-bit
 * blocks (packed once per alignment) instead of being encoded from the string again.
 */
class KeyEncoding {
  key: string | undefined = undefined;
  bytes = new Uint8Array(64);
  length = 0;
  /** Per alignment a (0–3): the key's whole 32-bit blocks starting at byte a, valid where `blocksOf[a]` is `key`. */
  readonly blocks = [new Int32Array(16), new Int32Array(16), new Int32Array(16), new Int32Array(16)];
  readonly blocksOf: (string | undefined)[] = [undefined, undefined, undefined, undefined];

  encode(text: string): void {
    const n = text.length;
    if (this.bytes.length < n * 3) this.bytes = new Uint8Array(n * 3);
    const bytes = this.bytes;
    let length = 0;
    for (let i = 0; i < n; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x80) {
        bytes[length++] = code;
        continue;
      }
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      const packed = utf8Bytes(code, next);
      const count = utf8Count(code, next);
      if (count === 4) i++;
      for (let b = 0; b < count; b++) bytes[length++] = (packed >>> (b << 3)) & 0xff;
    }
    this.key = text;
    this.length = length;
  }

  blocksAt(alignment: number): Int32Array {
    let list = this.blocks[alignment]!;
    if (this.blocksOf[alignment] === this.key) return list;
    const bytes = this.bytes;
    const count = (this.length - alignment) >> 2;
    if (list.length < count) list = this.blocks[alignment] = new Int32Array(count * 2);
    for (let b = 0, at = alignment; b < count; b++, at += 4)
      list[b] = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
    this.blocksOf[alignment] = this.key;
    return list;
  }

  /** absorb for the encoded key: the bytes completing the state's tail, whole blocks, then the rest. */
  absorb(state: Int32Array, at: number): number {
    let h1 = state[at]!;
    let tail = state[at + 1]!;
    let shift = state[at + 2]!;
    const length = state[at + 3]!;
    const bytes = this.bytes;
    const n = this.length;
    let i = 0;
    if (shift !== 0) {
      for (; i < n && shift !== 32; i++, shift += 8) tail |= bytes[i]! << shift;
      if (shift !== 32) return finish(h1, tail, shift, length + n);
      h1 = mixBlock(h1, tail);
      tail = 0;
      shift = 0;
    }
    const list = this.blocksAt(i);
    const count = (n - i) >> 2;
    for (let b = 0; b < count; b++) h1 = mixBlock(h1, list[b]!);
    for (i += count << 2; i < n; i++, shift += 8) tail |= bytes[i]! << shift;
    return finish(h1, tail, shift, length + n);
  }
}

const keyEncoding = new KeyEncoding();

/**
 * The hash of the prefix whose state is stored from `state[at]` (see absorb) followed by `key`.
 * With `again` (the caller has hashed this key before, after another prefix: a bulk evaluation
 * does for every flag after the first), the key is read from its encoding, made here if `key` is
 * not the key encoded last; without, from the string, with no comparison (comparing different
 * strings of one length reads them).
 */
export function murmur3ContinueAt(state: Int32Array, at: number, key: string, again: boolean): number {
  if (!again) return absorb(state, at, key, false);
  const encoding = keyEncoding;
  if (key !== encoding.key) encoding.encode(key);
  return encoding.absorb(state, at);
}

/** Scratch state for the functions below, which take theirs as numbers or an object. */
const start = new Int32Array(4);

function startAt(h1: number, tail: number, shift: number, length: number): Int32Array {
  start[0] = h1;
  start[1] = tail;
  start[2] = shift;
  start[3] = length;
  return start;
}

/** The 32-bit MurmurHash3 of `text`'s UTF-8 bytes, as an unsigned integer. */
export function murmur3(text: string, seed = 0): number {
  return absorb(startAt(seed, 0, 0, 0), 0, text, false);
}

/** The state after hashing `prefix`, to hash many strings that begin with it. */
export function murmur3Prefix(prefix: string, seed = 0): Murmur3State {
  absorb(startAt(seed, 0, 0, 0), 0, prefix, true);
  return { ...kept };
}

/** The hash of the prefix `state` was made from followed by `rest`; equals `murmur3(prefix + rest)`. */
export function murmur3Continue(state: Murmur3State, rest: string): number {
  return absorb(startAt(state.h1, state.tail, state.shift, state.length), 0, rest, false);
}
