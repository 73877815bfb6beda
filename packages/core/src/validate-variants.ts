import { WEIGHT_SUM_TOLERANCE, type FlagLimits } from './flag-limits.js';
import { InputFields } from './input-fields.js';
import { FLAG_VALUE_TYPES, type FlagValueType, type JsonValue, type Variant } from './model.js';
import { indexPath, isPlainObject, type ProblemList } from './problem-list.js';
import { valueMatchesType, valueTypeOf } from './value-type.js';

const VARIANT_FIELDS = ['name', 'value', 'weight'] as const;
const TYPE_PATTERN = new RegExp(`^(?:${FLAG_VALUE_TYPES.join('|')})$`);

export interface ValidatedVariants {
  type: FlagValueType;
  variants: Variant[];
}

/**
 * Validates the flag's `type` and `variants` together. The type, when absent, is inferred from
 * the variants' values (boolean without variants). Weights must sum to 100; when every weight
 * is omitted the variants split equally.
 */
export function validateVariants(flag: InputFields, limits: FlagLimits): ValidatedVariants {
  const problems = flag.problems;
  const declared = flag.string('type', {
    maxLength: 16,
    pattern: TYPE_PATTERN,
    patternText: `one of ${FLAG_VALUE_TYPES.join(', ')}`,
  }) as FlagValueType | undefined;
  const list = flag.array('variants', { maxItems: limits.maxVariants, what: 'variants {name, value, weight}' }) ?? [];
  const path = flag.at('variants');
  const parsed = list.map((input, i) => parseVariant(input, indexPath(path, i), problems, limits));
  const firstValue = parsed.find((v) => v?.value !== undefined)?.value;
  const type = declared ?? (firstValue === undefined ? 'boolean' : (valueTypeOf(firstValue) ?? 'boolean'));
  const names = new Set<string>();
  parsed.forEach((variant, i) => {
    if (variant === undefined) return;
    if (variant.name !== undefined) {
      if (names.has(variant.name))
        problems.add(`${indexPath(path, i)}.name`, 'a name no other variant of this flag has', variant.name);
      names.add(variant.name);
    }
    if (variant.value !== undefined && !valueMatchesType(variant.value, type)) {
      const why =
        declared === undefined ? `like the first variant's, since the type is inferred from it` : `for a ${type} flag`;
      problems.add(`${indexPath(path, i)}.value`, `a ${type} value (${why})`, variant.value);
    }
  });
  if (type !== 'boolean' && list.length === 0)
    problems.add(path, `at least one variant: a ${type} flag has no value otherwise`);
  return { type, variants: withWeights(parsed, path, problems) };
}

interface ParsedVariant {
  name: string | undefined;
  value: JsonValue | undefined;
  weight: number | undefined;
}

function parseVariant(
  input: unknown,
  path: string,
  problems: ProblemList,
  limits: FlagLimits,
): ParsedVariant | undefined {
  if (!isPlainObject(input)) {
    problems.add(path, 'a variant {name, value, weight}', input);
    return undefined;
  }
  const f = new InputFields(input, path, problems);
  f.onlyKeys(VARIANT_FIELDS);
  const name = f.string('name', { required: true, nonEmpty: true, maxLength: limits.maxVariantNameLength });
  const weight = f.number('weight', { min: 0, max: 100 });
  let value = f.raw('value') as JsonValue | undefined;
  if (value === undefined) {
    problems.add(f.at('value'), 'a value (null is not a value)');
  } else if (jsonLength(value) > limits.maxVariantValueLength) {
    problems.addText(f.at('value'), `at most ${limits.maxVariantValueLength} characters of JSON`, 'more');
    value = undefined;
  }
  return { name, value, weight };
}

function withWeights(parsed: (ParsedVariant | undefined)[], path: string, problems: ProblemList): Variant[] {
  const given = parsed.filter((v) => v?.weight !== undefined).length;
  const equalShare = parsed.length > 0 ? 100 / parsed.length : 0;
  if (given > 0 && given < parsed.length) {
    parsed.forEach((v, i) => {
      if (v !== undefined && v.weight === undefined)
        problems.add(
          `${indexPath(path, i)}.weight`,
          'a weight (give every variant a weight, or none for an equal split)',
        );
    });
  } else if (given > 0) {
    const sum = parsed.reduce((total, v) => total + (v?.weight ?? 0), 0);
    if (Math.abs(sum - 100) > WEIGHT_SUM_TOLERANCE)
      problems.addText(path, 'variant weights summing to 100', `a sum of ${sum}`);
  }
  return parsed.map((v) => ({
    name: v?.name ?? '',
    value: copyJson(v?.value ?? null),
    weight: given === 0 ? equalShare : (v?.weight ?? 0),
  }));
}

function jsonLength(value: JsonValue): number {
  try {
    return JSON.stringify(value).length;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** A deep copy, exactly as JSON would store it (which also turns -0 into 0). */
function copyJson(value: JsonValue): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}
