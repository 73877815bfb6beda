import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Stream tokens: what the relay puts in the event-stream URLs it hands out instead of a server key,
 * `sy_stream_<key id>_<expiry, Unix seconds>_<HMAC-SHA256>`. The HMAC is keyed with the key's
 * stored secret hash, so every relay of a cluster can check a token (it reads the key's record
 * anyway), nothing new is stored, and revoking the key ends its tokens.
 */
export interface ParsedStreamToken {
  keyId: string;
  expiresAt: number;
  mac: string;
}

const TOKEN_PATTERN = /^sy_stream_([0-9a-f]{16})_(\d{1,12})_([A-Za-z0-9_-]{43})$/;

export function streamToken(keyId: string, secretHash: string, expiresAt: number): string {
  return `sy_stream_${keyId}_${expiresAt}_${macOf(keyId, secretHash, expiresAt)}`;
}

export function parseStreamToken(token: string): ParsedStreamToken | undefined {
  const match = TOKEN_PATTERN.exec(token);
  return match ? { keyId: match[1]!, expiresAt: Number(match[2]), mac: match[3]! } : undefined;
}

/** Whether the token was made for this key (its current secret hash) and expiry; constant time. */
export function tokenMatches(token: ParsedStreamToken, secretHash: string): boolean {
  const expected = Buffer.from(macOf(token.keyId, secretHash, token.expiresAt));
  const presented = Buffer.from(token.mac);
  return expected.length === presented.length && timingSafeEqual(expected, presented);
}

/**
 * The expiry of a token made now: the end of the next whole period of `ttlSeconds`, so a token
 * lives between one and two periods, and bulk answers (whose ETag covers the URL) stay equal
 * within a period.
 */
export function tokenExpiry(nowMs: number, ttlSeconds: number): number {
  return (Math.floor(nowMs / 1000 / ttlSeconds) + 2) * ttlSeconds;
}

function macOf(keyId: string, secretHash: string, expiresAt: number): string {
  return createHmac('sha256', secretHash).update(`${keyId}.${expiresAt}`).digest('base64url');
}
