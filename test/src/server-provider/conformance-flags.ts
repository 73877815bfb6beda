import type { Flag, FlagValueType, JsonValue, RolloutRule, TargetingRule } from '@switchyard/core';

/** One flag of the OpenFeature spec's test-flags.json, in the spec's own notation. */
export interface SpecTestFlag {
  variants: Record<string, JsonValue>;
  defaultVariant?: string | null;
  disabled?: boolean;
  contextEvaluator?: string;
  flagMetadata?: Record<string, JsonValue> | null;
}

/**
 * The CEL expressions test-flags.json uses, as our targeting rules. We have no CEL engine: an
 * expression not listed here fails the translation loudly rather than being guessed.
 */
const CONTEXT_EVALUATORS: Record<string, RolloutRule[]> = {
  "email == 'ballmer@macrosoft.com' ? 'zero' : ''": [
    {
      strategy: 'user_attribute',
      targetingRules: [{ attribute: 'email', operator: 'equals', values: ['ballmer@macrosoft.com'] }],
      variant: 'zero',
    },
  ],
  "!customer && email == 'ballmer@macrosoft.com' && age > 10 ? 'internal' : ''": [
    {
      strategy: 'user_attribute',
      targetingRules: [
        { attribute: 'customer', operator: 'equals', values: [false] },
        { attribute: 'email', operator: 'equals', values: ['ballmer@macrosoft.com'] },
        { attribute: 'age', operator: 'greater_than', values: [10] },
      ],
      variant: 'internal',
    },
  ],
};

/**
 * `context-aware` is used by evaluation.feature but not defined in test-flags.json: the OpenFeature
 * JS SDK defines it in its own e2e flag set as "fn, ln, age and customer match → internal".
 */
export const CONTEXT_AWARE: SpecTestFlag = {
  variants: { internal: 'INTERNAL', external: 'EXTERNAL' },
  defaultVariant: 'external',
};
const CONTEXT_AWARE_CONDITIONS: TargetingRule[] = [
  { attribute: 'fn', operator: 'equals', values: ['Sulisław'] },
  { attribute: 'ln', operator: 'equals', values: ['Świętopełk'] },
  { attribute: 'age', operator: 'equals', values: [29] },
  { attribute: 'customer', operator: 'equals', values: [false] },
];

/** A spec test flag in our flag model, configured for `environment`. */
export function toSwitchyardFlag(
  name: string,
  spec: SpecTestFlag,
  environment: string,
): Partial<Flag> & { name: string } {
  const variantNames = Object.keys(spec.variants);
  const defaultVariant = spec.defaultVariant ?? undefined;
  let rules: RolloutRule[] = [];
  if (spec.contextEvaluator !== undefined) {
    const translated = CONTEXT_EVALUATORS[spec.contextEvaluator];
    if (translated === undefined)
      throw new Error(`${name}: no translation for contextEvaluator ${spec.contextEvaluator}`);
    rules = translated;
  }
  if (name === 'context-aware')
    rules = [{ strategy: 'user_attribute', targetingRules: CONTEXT_AWARE_CONDITIONS, variant: 'internal' }];
  return {
    name,
    description: `OpenFeature conformance flag ${name}`,
    tags: ['conformance'],
    type: valueType(name, Object.values(spec.variants)),
    // Weights are required to sum to 100; only named variants are ever served here.
    variants: variantNames.map((variant, index) => ({
      name: variant,
      value: spec.variants[variant] ?? null,
      weight: index === 0 ? 100 : 0,
    })),
    environments: {
      [environment]: {
        enabled: spec.disabled !== true,
        rules,
        // No default variant: nobody is served, so the caller's default applies (false for booleans).
        fallthrough: defaultVariant === undefined ? { serve: false } : { serve: true, variant: defaultVariant },
      },
    },
  };
}

function valueType(name: string, values: JsonValue[]): FlagValueType {
  const types = new Set(values.map((value) => (value === null ? 'null' : typeof value)));
  if (types.size !== 1) throw new Error(`${name}: variants of mixed types ${[...types].join(', ')}`);
  const [type] = types;
  if (type === 'boolean' || type === 'string' || type === 'number' || type === 'object') return type;
  throw new Error(`${name}: variants of type ${type}`);
}
