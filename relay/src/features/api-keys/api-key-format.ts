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

/** Shorter admin keys are too easy to guess to guard every flag. */
const MIN_ADMIN_KEY_LENGTH = 16;
/** Visible ASCII only: whitespace would split `Authorization: Bearer <key>`, and headers carry no other text reliably. */
const SENDABLE_KEY = /^[\x21-\x7e]+$/;
const OTHER_ROLE_PREFIX = new RegExp(`^sy_(${API_KEY_ROLES.filter((role) => role !== 'admin').join('|')})_`);

/**
 * Why `key` cannot be the operator's admin key (SWITCHYARD_ADMIN_KEY), or undefined when it can:
 * it must work in every header a key is sent in, and must not name another role, which would
 * make a key of that role (an unscoped client or server key) and leave the relay without an admin.
 */
export function adminKeyProblem(key: string): string | undefined {
  const rule = `must be an admin key: a sy_admin_<16 hex>_<43 base64url> key, or any other text of at least ${MIN_ADMIN_KEY_LENGTH} visible ASCII characters`;
  const role = OTHER_ROLE_PREFIX.exec(key)?.[1];
  if (role !== undefined) return `SWITCHYARD_ADMIN_KEY is a ${role} key; it ${rule}`;
  if (!SENDABLE_KEY.test(key))
    return `SWITCHYARD_ADMIN_KEY contains whitespace or other characters an HTTP header cannot carry; it ${rule}`;
  if (key.length < MIN_ADMIN_KEY_LENGTH) return `SWITCHYARD_ADMIN_KEY is too short; it ${rule}`;
  return undefined;
}

/** What listings show of a key: enough to recognise it, never enough to use it. */
export function keyHint(role: ApiKeyRole, id: string): string {
  return `sy_${role}_${id}_…`;
}
