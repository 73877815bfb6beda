export * from './model.js';
export { validateFlag, FLAG_FIELDS, type FlagValidation, type ValidateFlagOptions } from './validate-flag.js';
export { evaluateFlag } from './evaluate-flag.js';
export { EnvironmentFlags, type EnvironmentFlagsOptions } from './environment-flags.js';
export { compileFlag, DEFAULT_BUCKET_BY, type CompiledFlag } from './compile-flag.js';
export {
  InvalidFlagError,
  OFF_VARIANT_NAME,
  SERVED_VARIANT_NAME,
  isFlagVariant,
  reportedVariantNames,
} from './served-value.js';
export {
  DEFAULT_FLAG_LIMITS,
  STRUCTURAL_FLAG_LIMITS,
  FLAG_NAME_PATTERN,
  ENVIRONMENT_NAME_PATTERN,
  WEIGHT_SUM_TOLERANCE,
  DEFAULT_GRADUAL_PERIOD_SECONDS,
  type FlagLimits,
} from './flag-limits.js';
export { OPERATOR_VALUES } from './validate-condition.js';
export { valueMatchesType, valueTypeOf } from './value-type.js';
export { toEvaluationContext, toUserContext } from './user-context.js';
export { environmentConfig } from './environment-config.js';
export { isClientVisible } from './client-visibility.js';
export { gradualStepDue, type GradualStep } from './gradual.js';
export { bucketOf, BUCKET_COUNT, ROLLOUT_SALT, VARIANT_SALT } from './bucketing.js';
export { murmur3 } from './murmur3.js';
export { parseSemVer, compareSemVer, type SemVer } from './semver.js';
export { parseIsoDate, numericString } from './coercion.js';
