import type { EvaluationContext, JsonValue, UserContext } from './model.js';

const NAMED_FIELDS = ['email', 'role', 'plan', 'country'] as const;

/**
 * The seed's UserContext as an OpenFeature evaluation context: `targetingKey` is the userId,
 * `email`, `role`, `plan` and `country` sit at the top level, and so does every custom
 * attribute. On a collision the named field wins: `attributes.email` is dropped when `email`
 * is set, and `attributes.targetingKey` is always dropped (only `userId` sets the targeting key).
 */
export function toEvaluationContext(user: UserContext): EvaluationContext {
  const context: EvaluationContext = {};
  if (typeof user !== 'object' || user === null) return context;
  const attributes = user.attributes;
  if (typeof attributes === 'object' && attributes !== null) {
    for (const key of Object.keys(attributes)) {
      if (key !== 'targetingKey' && attributes[key] !== undefined) setOwn(context, key, attributes[key]);
    }
  }
  if (typeof user.userId === 'string') context.targetingKey = user.userId;
  for (const field of NAMED_FIELDS) {
    const value = user[field];
    if (typeof value === 'string') context[field] = value;
  }
  return context;
}

/**
 * An OpenFeature evaluation context as the seed's UserContext: `targetingKey` (else a
 * `userId` attribute) becomes userId; string `email`/`role`/`plan`/`country` become those
 * fields; everything else that is JSON goes to `attributes` (Dates as ISO 8601 strings,
 * other non-JSON values are dropped).
 */
export function toUserContext(context: EvaluationContext): UserContext {
  const user: UserContext = {};
  if (typeof context !== 'object' || context === null) return user;
  const attributes: Record<string, JsonValue> = {};
  const keyIsUserId = typeof context.targetingKey !== 'string';
  const userId = keyIsUserId ? context['userId'] : context.targetingKey;
  if (typeof userId === 'string') user.userId = userId;
  for (const key of Object.keys(context)) {
    if (key === 'targetingKey' || (key === 'userId' && keyIsUserId && user.userId !== undefined)) continue;
    const value = context[key];
    if ((NAMED_FIELDS as readonly string[]).includes(key) && typeof value === 'string') {
      user[key as (typeof NAMED_FIELDS)[number]] = value;
      continue;
    }
    const json = toJson(value, 0);
    if (json !== undefined) setOwn(attributes, key, json);
  }
  if (Object.keys(attributes).length > 0) user.attributes = attributes;
  return user;
}

/** Deeper values are dropped: a context is not a document (and may be cyclic). */
const MAX_ATTRIBUTE_DEPTH = 32;

function toJson(value: unknown, depth: number): JsonValue | undefined {
  if (depth > MAX_ATTRIBUTE_DEPTH) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (Array.isArray(value)) return value.map((v) => toJson(v, depth + 1) ?? null);
  if (typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) {
      const json = toJson(v, depth + 1);
      if (json !== undefined) setOwn(out, k, json);
    }
    return out;
  }
  return undefined;
}

/**
 * Sets an own property. Contexts often come from JSON.parse, which makes `__proto__` an own key:
 * a plain assignment of it would replace the target's prototype (and let its values be read as
 * attributes) instead of copying it.
 */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
