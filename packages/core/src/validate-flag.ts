import { DEFAULT_FLAG_LIMITS, FLAG_NAME_PATTERN, type FlagLimits } from './flag-limits.js';
import { InputFields } from './input-fields.js';
import { checkJsonSafety } from './json-safety.js';
import { ANY_ENVIRONMENT, type Flag, type Problem } from './model.js';
import { describeValue, isPlainObject, ProblemList } from './problem-list.js';
import { validateEnvironments } from './validate-environments.js';
import { variantReference, type RuleScope } from './validate-rule.js';
import { validateVariants } from './validate-variants.js';

export type FlagValidation = { ok: true; flag: Flag } | { ok: false; problems: Problem[] };

export interface ValidateFlagOptions {
  /** Overrides of DEFAULT_FLAG_LIMITS. */
  limits?: Partial<FlagLimits>;
  /** The environments a flag may configure besides `*` (a relay's SWITCHYARD_ENVIRONMENTS); absent: any well-formed name. */
  environments?: readonly string[];
}

export const FLAG_FIELDS = [
  'name',
  'description',
  'owner',
  'tags',
  'type',
  'variants',
  'offVariant',
  'bucketBy',
  'environments',
  'clientVisible',
  'enabled',
  'rolloutConfig',
  'version',
  'createdAt',
  'updatedAt',
] as const;

/**
 * Validates a flag in either input shape (canonical, or the seed's) and returns it in the
 * canonical shape, or every problem found, each with its path and what was expected there.
 * Never throws, whatever the input.
 */
export function validateFlag(input: unknown, options: ValidateFlagOptions = {}): FlagValidation {
  const problems = new ProblemList();
  try {
    const limits: FlagLimits = { ...DEFAULT_FLAG_LIMITS, ...options.limits };
    const flag = validateInput(input, problems, limits);
    if (flag !== undefined && options.environments !== undefined)
      checkEnvironmentsKnown(flag, options.environments, problems);
    return flag === undefined || problems.count > 0 ? { ok: false, problems: problems.problems } : { ok: true, flag };
  } catch (error) {
    problems.addText(
      '',
      'a plain JSON object that can be read',
      `an input that threw while reading it (${describeValue(error instanceof Error ? error.message : error)})`,
    );
    return { ok: false, problems: problems.problems };
  }
}

function validateInput(input: unknown, problems: ProblemList, limits: FlagLimits): Flag | undefined {
  if (!isPlainObject(input)) {
    problems.add('', 'a JSON object describing a flag', input);
    return undefined;
  }
  if (!checkJsonSafety(input, '', problems, limits)) return undefined;
  const f = new InputFields(input, '', problems);
  f.onlyKeys(FLAG_FIELDS);
  const name = f.string('name', {
    required: true,
    maxLength: limits.maxNameLength,
    pattern: FLAG_NAME_PATTERN,
    patternText: 'a kebab-case name: lowercase letters and digits in words joined by single "-" (like "new-dashboard")',
  });
  const description = f.string('description', { maxLength: limits.maxDescriptionLength }) ?? '';
  const owner = f.string('owner', { maxLength: limits.maxOwnerLength });
  const tags = readTags(f, limits);
  const { type, variants } = validateVariants(f, limits);
  const scope: RuleScope = { variantNames: new Set(variants.map((v) => v.name)), limits };
  const offVariant = variantReference(f, 'offVariant', scope);
  const bucketBy = f.string('bucketBy', { nonEmpty: true, maxLength: limits.maxConditionValueLength });
  const environments = validateEnvironments(f, scope);
  const clientVisible = f.boolean('clientVisible');
  const version = f.number('version', { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }) ?? 0;
  const createdAt = f.string('createdAt', { maxLength: 64 });
  const updatedAt = f.string('updatedAt', { maxLength: 64 });
  if (name === undefined) return undefined;
  const flag: Flag = { name, description, tags, type, variants, environments, version };
  if (owner !== undefined) flag.owner = owner;
  if (offVariant !== undefined) flag.offVariant = offVariant;
  if (bucketBy !== undefined) flag.bucketBy = bucketBy;
  if (clientVisible !== undefined) flag.clientVisible = clientVisible;
  if (createdAt !== undefined) flag.createdAt = createdAt;
  if (updatedAt !== undefined) flag.updatedAt = updatedAt;
  return flag;
}

function checkEnvironmentsKnown(flag: Flag, known: readonly string[], problems: ProblemList): void {
  for (const name of Object.keys(flag.environments)) {
    if (name === ANY_ENVIRONMENT || known.includes(name)) continue;
    problems.addMessage(
      `environments.${name}`,
      `one of ${known.join(', ')} or *`,
      `unknown environment "${name}" (SWITCHYARD_ENVIRONMENTS lists the relay's environments)`,
    );
  }
}

function readTags(f: InputFields, limits: FlagLimits): string[] {
  const list = f.array('tags', { maxItems: limits.maxTags, what: 'tags' }) ?? [];
  const tags: string[] = [];
  list.forEach((tag, i) => {
    if (typeof tag === 'string' && tag.length > 0 && tag.length <= limits.maxTagLength) tags.push(tag);
    else f.problems.add(`tags[${i}]`, `a tag: a non-empty string of at most ${limits.maxTagLength} characters`, tag);
  });
  return tags;
}
