import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { API_KEY_ROLES, type ApiKeyRole } from '../../store/store.js';

/**
 * Keys read `sy_<role>_<id>_<secret>`: the id finds the record without scanning, the role makes a
 * leaked key's power obvious, and only SHA-256 of the secret is stored.
 */
export interface ParsedKey {
  role: ApiKeyRole;
  id: string;
  secret: string;
}

const KEY_PATTERN = new RegExp(`^sy_(${API_KEY_ROLES.join('|')})_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$`);

export function generateKey(role: ApiKeyRole): ParsedKey & { key: string } {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { role, id, secret, key: `sy_${role}_${id}_${secret}` };
}

export function parseKey(key: string): ParsedKey | undefined {
  const match = KEY_PATTERN.exec(key);
  if (!match) return undefined;
  return { role: match[1] as ApiKeyRole, id: match[2]!, secret: match[3]! };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two SHA-256 hex digests in constant time. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === 32 && right.length === 32 && timingSafeEqual(left, right);
}

/** What listings show of a key: enough to recognise it, never enough to use it. */
export function keyHint(role: ApiKeyRole, id: string): string {
  return `sy_${role}_${id}_…`;
}
