import { ENVIRONMENT_NAME_PATTERN } from './flag-limits.js';
import { InputFields, refusedKey } from './input-fields.js';
import { ANY_ENVIRONMENT, type EnvironmentConfig, type Fallthrough, type RolloutRule } from './model.js';
import { childPath, indexPath, isPlainObject } from './problem-list.js';
import { validateRule, variantReference, type RuleScope } from './validate-rule.js';

const ENVIRONMENT_FIELDS = ['enabled', 'rules', 'fallthrough'] as const;
const FALLTHROUGH_FIELDS = ['serve', 'variant'] as const;
const ENVIRONMENT_NAME_TEXT = `"${ANY_ENVIRONMENT}" or an environment name of letters, digits, "_" and "-"`;

/**
 * The flag's per-environment configuration, from either input shape:
 * - canonical: `environments` is an object of environment name → {enabled, rules, fallthrough};
 * - the seed's: flag-level `enabled`, one optional `rolloutConfig` and an optional list of
 *   `environments` the flag is active in (absent: every environment).
 */
export function validateEnvironments(flag: InputFields, scope: RuleScope): Record<string, EnvironmentConfig> {
  const environments = flag.raw('environments');
  if (!isPlainObject(environments)) return seedEnvironments(flag, scope);
  for (const key of ['enabled', 'rolloutConfig']) {
    if (flag.raw(key) !== undefined) {
      flag.problems.add(
        flag.at(key),
        `no flag-level "${key}" when "environments" is an object (configure environments.<name>.enabled and .rules)`,
      );
    }
  }
  const path = flag.at('environments');
  const names = Object.keys(environments).filter((name) => environments[name] !== undefined);
  if (names.length > scope.limits.maxEnvironments)
    flag.problems.addText(path, `at most ${scope.limits.maxEnvironments} environments`, `${names.length}`);
  const result: Record<string, EnvironmentConfig> = {};
  for (const name of names) {
    if (!validEnvironmentName(name, scope) && !refusedKey(name))
      flag.problems.add(childPath(path, name), ENVIRONMENT_NAME_TEXT, name);
    const config = environmentConfig(environments[name], childPath(path, name), flag, scope);
    if (config !== undefined) result[name] = config;
  }
  return result;
}

function environmentConfig(
  input: unknown,
  path: string,
  flag: InputFields,
  scope: RuleScope,
): EnvironmentConfig | undefined {
  if (!isPlainObject(input)) {
    flag.problems.add(path, 'an environment configuration {enabled, rules, fallthrough}', input);
    return undefined;
  }
  const f = new InputFields(input, path, flag.problems);
  f.onlyKeys(ENVIRONMENT_FIELDS);
  const enabled = f.boolean('enabled', true) ?? false;
  const list = f.array('rules', { maxItems: scope.limits.maxRules, what: 'rules' }) ?? [];
  const rules: RolloutRule[] = [];
  list.forEach((rule, i) => {
    const valid = validateRule(rule, indexPath(f.at('rules'), i), flag.problems, scope);
    if (valid !== undefined) rules.push(valid);
  });
  const fallthroughFields = f.object('fallthrough', 'a fallthrough {serve, variant}');
  let fallthrough: Fallthrough = { serve: list.length === 0 };
  if (fallthroughFields !== undefined) {
    fallthroughFields.onlyKeys(FALLTHROUGH_FIELDS);
    fallthrough = { serve: fallthroughFields.boolean('serve', true) ?? false };
    const variant = variantReference(fallthroughFields, 'variant', scope);
    if (variant !== undefined) fallthrough.variant = variant;
  }
  return { enabled, rules, fallthrough };
}

function seedEnvironments(flag: InputFields, scope: RuleScope): Record<string, EnvironmentConfig> {
  const enabled = flag.boolean('enabled') ?? false;
  const rolloutInput = flag.raw('rolloutConfig');
  const rule =
    rolloutInput === undefined ? undefined : validateRule(rolloutInput, flag.at('rolloutConfig'), flag.problems, scope);
  const config = (): EnvironmentConfig => ({
    enabled,
    rules: rule === undefined ? [] : [structuredCopy(rule)],
    fallthrough: { serve: rolloutInput === undefined },
  });
  const list = flag.array('environments', { maxItems: scope.limits.maxEnvironments, what: 'environment names' });
  if (list === undefined) return { [ANY_ENVIRONMENT]: config() };
  const result: Record<string, EnvironmentConfig> = {};
  list.forEach((name, i) => {
    const path = indexPath(flag.at('environments'), i);
    if (typeof name !== 'string' || !validEnvironmentName(name, scope))
      flag.problems.add(path, ENVIRONMENT_NAME_TEXT, name);
    else if (Object.hasOwn(result, name)) flag.problems.add(path, 'an environment not already listed', name);
    else result[name] = config();
  });
  return result;
}

function validEnvironmentName(name: string, scope: RuleScope): boolean {
  return (
    name === ANY_ENVIRONMENT ||
    (name.length <= scope.limits.maxEnvironmentNameLength && ENVIRONMENT_NAME_PATTERN.test(name))
  );
}

function structuredCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
