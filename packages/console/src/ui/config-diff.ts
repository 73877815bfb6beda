/** One changed place in a configuration: where (readable), what it was, what it became (undefined: absent). */
export interface ConfigChange {
  path: string;
  before: unknown;
  after: unknown;
}

/** Fields the store assigns on every write (and write answers' affectedEnvironments): a change of these is not a change of configuration. */
const STORE_FIELDS = new Set(['version', 'revision', 'createdAt', 'updatedAt', 'affectedEnvironments']);

/**
 * The differences between two flag configurations (or any JSON), as readable paths:
 * `production › rule 2 "rollout" › percentage: 25 → 50`. Arrays of named items (rules, variants)
 * are labelled by position and name; other arrays of primitives (user lists, values) change as a whole.
 */
export function configDiff(before: unknown, after: unknown): ConfigChange[] {
  const changes: ConfigChange[] = [];
  walk(before, after, [], changes);
  return changes;
}

/** Container keys whose own name adds nothing to a path: their entries are named instead. */
const UNNAMED_CONTAINERS = new Set(['environments', 'rules', 'variants', 'targetingRules']);
const ITEM_NOUNS: Record<string, string> = { rules: 'rule', variants: 'variant', targetingRules: 'condition' };

function walk(before: unknown, after: unknown, path: string[], changes: ConfigChange[], key = ''): void {
  if (isObject(before) && isObject(after)) {
    for (const child of [...new Set([...Object.keys(before), ...Object.keys(after)])]) {
      if (path.length === 0 && STORE_FIELDS.has(child)) continue;
      walk(before[child], after[child], UNNAMED_CONTAINERS.has(child) ? path : [...path, child], changes, child);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && (before.some(isObject) || after.some(isObject))) {
    for (let index = 0; index < Math.max(before.length, after.length); index += 1) {
      walk(before[index], after[index], [...path, itemLabel(key, index, after[index] ?? before[index])], changes);
    }
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after))
    changes.push({ path: path.join(' › ') || '(whole)', before, after });
}

function itemLabel(container: string, index: number, item: unknown): string {
  const name = isObject(item) && typeof item.name === 'string' ? ` "${item.name}"` : '';
  return `${ITEM_NOUNS[container] ?? 'item'} ${index + 1}${name}`;
}

/** A value as a short text: JSON, `absent` for undefined. */
export function valueText(value: unknown): string {
  if (value === undefined) return 'absent';
  return JSON.stringify(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
