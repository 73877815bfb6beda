import { ENVIRONMENT_NAME_PATTERN, FLAG_NAME_PATTERN, type FlagLimits } from '@switchyard/core';
import { z } from 'zod';

/** Flag and environment names as every slice's routes take them (in paths, queries and bodies). */

export function flagNameSchema(limits: Pick<FlagLimits, 'maxNameLength'>) {
  return z
    .string()
    .max(
      limits.maxNameLength,
      `a flag name is at most ${limits.maxNameLength} characters (SWITCHYARD_FLAG_MAX_NAME_LENGTH)`,
    )
    .regex(FLAG_NAME_PATTERN, 'a flag name is kebab-case: lowercase letters and digits in words joined by "-"')
    .meta({ description: 'The flag name (kebab-case), e.g. `new-dashboard`.' });
}

export const environmentNameSchema = z
  .string()
  .max(64)
  .regex(ENVIRONMENT_NAME_PATTERN, 'an environment name is letters, digits, "_" and "-"')
  .meta({ description: 'An environment the relay knows (SWITCHYARD_ENVIRONMENTS).' });
