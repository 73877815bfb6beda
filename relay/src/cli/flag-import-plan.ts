import { ANY_ENVIRONMENT, STRUCTURAL_FLAG_LIMITS, validateFlag, type Flag } from '@switchyard/core';
import { UsageError, type FieldProblem } from './cli-errors.js';
import { isObject } from './relay-client.js';
import { withoutStoreFields, type RelayFlag } from './switchyard-api.js';

/**
 * `import`'s first half, with no writes: read every flag of a file, validate each with the
 * core's `validateFlag`, and compare it with what the relay holds, so applying the plan twice
 * changes nothing the second time. Only the structure is checked here: the relay enforces its
 * own size limits (SWITCHYARD_FLAG_MAX_*), which may be above core's defaults.
 */

const STRUCTURE_ONLY = { limits: STRUCTURAL_FLAG_LIMITS };

export type ImportAction = 'create' | 'update' | 'unchanged' | 'delete';

export interface PlannedChange {
  name: string;
  action: ImportAction;
  /** What to send (create/update): the flag without store fields. */
  flag?: Record<string, unknown>;
  /** The version read from the relay (update/delete), sent as If-Match. */
  readVersion?: number;
}

/** The `flags` of an export document (`{flags: [...]}`) or a bare list of flags. */
export function flagsOfDocument(document: unknown, source: string): unknown[] {
  if (Array.isArray(document)) return document;
  if (isObject(document) && Array.isArray(document.flags)) return document.flags;
  throw new UsageError(`${source} should hold {"flags": [...]} (as \`switchyard export\` writes) or a list of flags`);
}

/** Every problem of every flag, paths prefixed with the flag's place in the file. */
export function validateAll(inputs: unknown[]): { flags: Flag[]; problems: FieldProblem[] } {
  const flags: Flag[] = [];
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  inputs.forEach((input, index) => {
    const result = validateFlag(withoutStoreFields(input), STRUCTURE_ONLY);
    if (!result.ok) {
      for (const problem of result.problems) {
        problems.push({ ...problem, path: joinPath(`flags[${index}]`, problem.path) });
      }
      return;
    }
    if (seen.has(result.flag.name)) {
      problems.push({
        path: `flags[${index}].name`,
        expected: 'a name used once in the file',
        message: `"${result.flag.name}" appears more than once`,
      });
    }
    seen.add(result.flag.name);
    flags.push(result.flag);
  });
  return { flags, problems };
}

/** Where each environment a flag configures is named, `*` aside: `flags[i].environments.<name>`. */
export function environmentsUsed(flags: Flag[]): Map<string, string[]> {
  const used = new Map<string, string[]>();
  flags.forEach((flag, index) => {
    for (const environment of Object.keys(flag.environments)) {
      if (environment === ANY_ENVIRONMENT) continue;
      used.set(environment, [...(used.get(environment) ?? []), `flags[${index}].environments.${environment}`]);
    }
  });
  return used;
}

export function planImport(wanted: Flag[], existing: RelayFlag[], prune: boolean): PlannedChange[] {
  const current = new Map(existing.map((flag) => [flag.name, flag]));
  const plan: PlannedChange[] = wanted.map((flag) => {
    const held = current.get(flag.name);
    const body = withoutStoreFields(flag) as Record<string, unknown>;
    if (!held) return { name: flag.name, action: 'create', flag: body };
    if (sameFlag(flag, held)) return { name: flag.name, action: 'unchanged', readVersion: held.version };
    return { name: flag.name, action: 'update', flag: body, readVersion: held.version };
  });
  if (prune) {
    const names = new Set(wanted.map((flag) => flag.name));
    for (const held of existing) {
      if (!names.has(held.name)) plan.push({ name: held.name, action: 'delete', readVersion: held.version });
    }
  }
  return plan;
}

/** Equal once both are in the canonical shape and store fields are dropped. */
function sameFlag(wanted: Flag, held: RelayFlag): boolean {
  const normalized = validateFlag(withoutStoreFields(held), STRUCTURE_ONLY);
  const heldFlag = normalized.ok ? normalized.flag : held;
  return canonicalJson(withoutStoreFields(wanted)) === canonicalJson(withoutStoreFields(heldFlag));
}

/** The flag as `export` writes it: canonical, without the fields the store assigns. */
export function exportedFlag(flag: RelayFlag): Record<string, unknown> {
  const normalized = validateFlag(withoutStoreFields(flag), STRUCTURE_ONLY);
  return withoutStoreFields(normalized.ok ? normalized.flag : flag) as Record<string, unknown>;
}

/** JSON with object keys sorted, so key order never makes two equal flags differ. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    isObject(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

function joinPath(prefix: string, path: string): string {
  if (path === '') return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}
