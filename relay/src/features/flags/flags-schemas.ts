import { FLAG_NAME_PATTERN, ENVIRONMENT_NAME_PATTERN, FLAG_VALUE_TYPES } from '@switchyard/core';
import { z } from 'zod';

/** Request shapes of the flags slice; they validate requests and generate the OpenAPI document. */

export const flagNameSchema = z
  .string()
  .max(128)
  .regex(FLAG_NAME_PATTERN, 'a flag name is kebab-case: lowercase letters and digits in words joined by "-"')
  .meta({ description: 'The flag name (kebab-case), e.g. `new-dashboard`.' });

export const environmentNameSchema = z
  .string()
  .max(64)
  .regex(ENVIRONMENT_NAME_PATTERN, 'an environment name is letters, digits, "_" and "-"')
  .meta({ description: 'An environment the relay knows (SWITCHYARD_ENVIRONMENTS).' });

export const flagParamsSchema = z.strictObject({ name: flagNameSchema });

const booleanText = z.enum(['true', 'false']).transform((text) => text === 'true');

export const versionQuerySchema = z.strictObject({
  force: booleanText.optional().meta({ description: 'true: apply the write to the current version without naming the version read, also where SWITCHYARD_REQUIRE_WRITE_VERSION requires one.' }),
});

export const flagListQuerySchema = z.strictObject({
  environment: environmentNameSchema.optional().meta({ description: 'Only flags configured for this environment (by name or `*`).' }),
  tag: z.string().min(1).max(64).optional().meta({ description: 'Only flags with this tag.' }),
  text: z.string().min(1).max(128).optional().meta({ description: 'Only flags whose name or description contains this text (case-insensitive).' }),
  limit: z.string().regex(/^\d{1,6}$/, 'a whole number').transform(Number).optional().meta({ description: 'Flags per page.' }),
  cursor: z.string().max(512).optional().meta({ description: 'The `nextCursor` of the previous page.' }),
});

export const historyQuerySchema = z.strictObject({
  limit: z.string().regex(/^\d{1,6}$/, 'a whole number').transform(Number).optional().meta({ description: 'Versions per page.' }),
  cursor: z.string().regex(/^\d{1,15}$/, 'a version number (the nextCursor of the previous page)').optional()
    .meta({ description: 'The `nextCursor` of the previous page.' }),
});

export const flagGetQuerySchema = z.strictObject({
  environment: environmentNameSchema.optional().meta({ description: 'Answer 404 unless the flag is configured for this environment.' }),
});

/** What PATCH may change: one environment, or `*` (the configuration of every environment the flag does not list). */
const patchEnvironmentSchema = z.union([environmentNameSchema, z.literal('*')]);

export const flagPatchSchema = z
  .strictObject({
    environment: patchEnvironmentSchema.optional().meta({ description: 'The environment to change, or `*` (default: SWITCHYARD_DEFAULT_ENVIRONMENT).' }),
    version: z.int().min(0).optional().meta({ description: 'The version read (or send If-Match): a stale one gets 409. Absent: the change applies to the current version.' }),
    enabled: z.boolean().optional(),
    rolloutConfig: z.record(z.string(), z.unknown()).optional().meta({ description: 'Merged into the environment\'s first rule, e.g. {"percentage": 50}.' }),
    rules: z.array(z.record(z.string(), z.unknown())).optional().meta({ description: 'Replaces the environment\'s rules.' }),
    fallthrough: z.record(z.string(), z.unknown()).optional(),
    description: z.string().optional(),
    owner: z.string().optional(),
    tags: z.array(z.string()).optional(),
  })
  .refine((patch) => !(patch.rolloutConfig !== undefined && patch.rules !== undefined), {
    message: 'send rolloutConfig (changes the first rule) or rules (replaces them all), not both',
    path: ['rolloutConfig'],
  });
export type FlagPatch = z.infer<typeof flagPatchSchema>;

export const patchQuerySchema = versionQuerySchema.extend({
  environment: patchEnvironmentSchema.optional().meta({ description: 'The environment to change, as in the body.' }),
});

export const rollbackBodySchema = z.strictObject({
  version: z.int().min(1).meta({ description: 'The version to restore (from the history).' }),
  expectedVersion: z.int().min(0).optional().meta({ description: 'The current version read (or send If-Match): a stale one gets 409. Absent: rolls back whatever version is current.' }),
});

/** For the OpenAPI document only: flag bodies are validated by @switchyard/core's validateFlag. */
export const flagDocument = {
  type: 'object',
  description:
    'A flag, canonical (`environments`) or in the seed\'s shape (`enabled`, `rolloutConfig`, `environments` list); ' +
    'validated by @switchyard/core validateFlag. See docs/concepts.md.',
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: FLAG_NAME_PATTERN.source },
    description: { type: 'string' },
    owner: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    type: { type: 'string', enum: [...FLAG_VALUE_TYPES] },
    variants: { type: 'array', items: { type: 'object' } },
    offVariant: { type: 'string' },
    bucketBy: { type: 'string' },
    environments: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'string' } }] },
    enabled: { type: 'boolean' },
    rolloutConfig: { type: 'object' },
    version: { type: 'integer', description: 'On PUT: the version read (or send If-Match); a stale one gets 409. Absent: replaces the current version.' },
  },
} as const;

export const storedFlagSchema = z
  .looseObject({
    name: z.string(),
    version: z.int(),
    revision: z.int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'StoredFlag', description: 'A flag as stored: the canonical flag plus version, revision and timestamps.' });

export const flagPageSchema = z.object({
  flags: z.array(storedFlagSchema),
  nextCursor: z.string().optional().meta({ description: 'Present when there are more flags: pass it as `cursor`.' }),
});

export const flagHistorySchema = z.object({
  flagName: z.string(),
  versions: z.array(storedFlagSchema),
  nextCursor: z.string().optional().meta({ description: 'Present when there are later versions: pass it as `cursor`.' }),
});
