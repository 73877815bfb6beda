import { ERROR_CODES, REASONS } from '@switchyard/core';
import { z } from 'zod';
import { environmentNameSchema } from '../../http/name-schemas.js';

const MAX_CONTEXT_FIELD = 1024;

const userContextSchema = z
  .strictObject({
    userId: z.string().max(MAX_CONTEXT_FIELD).optional(),
    email: z.string().max(MAX_CONTEXT_FIELD).optional(),
    role: z.string().max(MAX_CONTEXT_FIELD).optional(),
    plan: z.string().max(MAX_CONTEXT_FIELD).optional(),
    country: z.string().max(MAX_CONTEXT_FIELD).optional(),
    attributes: z.record(z.string().max(MAX_CONTEXT_FIELD), z.json()).optional(),
  })
  .meta({ id: 'UserContext', description: "The seed's UserContext, camelCase. `userId` is the targeting key." });

/** `maxFlagNameLength`: the relay's SWITCHYARD_FLAG_MAX_NAME_LENGTH (longer names cannot exist). */
export function evaluateBodySchema(maxFlagNames: number, maxFlagNameLength: number) {
  const flagName = z.string().min(1).max(maxFlagNameLength);
  return z
    .strictObject({
      flagName: flagName.optional().meta({ description: 'Evaluate one flag: answers one result.' }),
      flagNames: z
        .array(flagName)
        .max(maxFlagNames)
        .optional()
        .meta({ description: 'Evaluate these flags: answers {results}.' }),
      userContext: userContextSchema.optional(),
      environment: environmentNameSchema.optional(),
    })
    .refine((body) => !(body.flagName !== undefined && body.flagNames !== undefined), {
      message: 'send flagName (one flag) or flagNames (several), not both',
      path: ['flagNames'],
    })
    .optional()
    .meta({ description: 'With neither flagName nor flagNames, every flag of the environment is evaluated.' });
}

export const evaluationResultSchema = z
  .object({
    flagName: z.string(),
    value: z.json().nullable(),
    variant: z.string().optional(),
    enabled: z.boolean(),
    reason: z.enum(REASONS),
    errorCode: z.enum(ERROR_CODES).optional(),
    errorMessage: z.string().optional(),
  })
  .meta({ id: 'EvaluationResult' });

export const bulkEvaluationSchema = z.object({
  environment: z.string(),
  results: z.record(z.string(), evaluationResultSchema),
});
