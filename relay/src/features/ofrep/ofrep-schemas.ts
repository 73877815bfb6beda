import { z } from 'zod';

/** OFREP's wire shapes for /openapi.json (the protocol's own document defines them: /work/shared/ofrep). */

const metadata = z.record(z.string(), z.union([z.boolean(), z.string(), z.number()])).optional();

export const ofrepFailureSchema = z
  .object({
    key: z.string().optional().meta({ description: 'The flag, on single-flag answers.' }),
    errorCode: z
      .string()
      .meta({ description: 'PARSE_ERROR, TARGETING_KEY_MISSING, INVALID_CONTEXT, GENERAL or FLAG_NOT_FOUND.' }),
    errorDetails: z.string().optional(),
    metadata,
  })
  .meta({ id: 'OfrepEvaluationFailure' });

export const ofrepSingleSchema = z
  .object({
    key: z.string(),
    value: z.json().optional(),
    reason: z.string().meta({ description: 'STATIC, TARGETING_MATCH, SPLIT, DISABLED or UNKNOWN.' }),
    variant: z.string().optional(),
    metadata,
  })
  .meta({ id: 'OfrepEvaluationSuccess' });

export const ofrepBulkSchema = z
  .object({
    flags: z.array(z.union([ofrepSingleSchema, ofrepFailureSchema])),
    eventStreams: z
      .array(
        z.object({
          type: z.literal('sse'),
          endpoint: z.object({ requestUri: z.string() }),
          inactivityDelaySec: z.int(),
        }),
      )
      .optional()
      .meta({ description: 'Where to follow changes instead of polling.' }),
  })
  .meta({ id: 'OfrepBulkEvaluationSuccess' });

/** The request body: read by the routes themselves (any Content-Type), so for the document only. */
export const ofrepContextBody: Record<string, unknown> = {
  type: 'object',
  required: ['context'],
  properties: {
    context: { type: 'object', properties: { targetingKey: { type: 'string' } }, additionalProperties: true },
  },
};
