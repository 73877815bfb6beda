import { FLAG_NAME_PATTERN, FLAG_VALUE_TYPES, type FlagLimits } from '@switchyard/core';
import { z } from 'zod';
import { environmentNameSchema, flagNameSchema } from '../../http/name-schemas.js';

/**
 * Request shapes of the flags slice; they validate requests and generate the OpenAPI document.
 * Those that bound a part of a flag take the relay's flag limits (core's validateFlag applies the
 * same ones to writes), so a flag the relay accepts is one every route can name.
 */

const CLIENT_VISIBLE_DESCRIPTION =
  'Whether client keys (browsers, OFREP and streams with a client key) may see the flag; false: to them it does not exist. ' +
  "Absent: the relay's default, SWITCHYARD_FLAG_CLIENT_VISIBLE_DEFAULT (true unless set).";

export function flagParamsSchema(limits: Pick<FlagLimits, 'maxNameLength'>) {
  return z.strictObject({ name: flagNameSchema(limits) });
}

const booleanText = z.enum(['true', 'false']).transform((text) => text === 'true');

export const versionQuerySchema = z.strictObject({
  force: booleanText.optional().meta({
    description:
      'true: apply the write to the current version without naming the version read, also where SWITCHYARD_REQUIRE_WRITE_VERSION requires one.',
  }),
});

export function flagListQuerySchema(
  limits: Pick<FlagLimits, 'maxNameLength' | 'maxDescriptionLength' | 'maxTagLength'>,
) {
  return z.strictObject({
    environment: environmentNameSchema
      .optional()
      .meta({ description: 'Only flags configured for this environment (by name or `*`).' }),
    tag: z.string().min(1).max(limits.maxTagLength).optional().meta({ description: 'Only flags with this tag.' }),
    text: z
      .string()
      .min(1)
      .max(Math.max(limits.maxNameLength, limits.maxDescriptionLength))
      .optional()
      .meta({ description: 'Only flags whose name or description contains this text (case-insensitive).' }),
    limit: z
      .string()
      .regex(/^\d{1,6}$/, 'a whole number')
      .transform(Number)
      .optional()
      .meta({ description: 'Flags per page.' }),
    cursor: z.string().max(512).optional().meta({ description: 'The `nextCursor` of the previous page.' }),
  });
}

export const historyQuerySchema = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,6}$/, 'a whole number')
    .transform(Number)
    .optional()
    .meta({ description: 'Versions per page.' }),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'a version number (the nextCursor of the previous page)')
    .optional()
    .meta({ description: 'The `nextCursor` of the previous page.' }),
});

export const flagGetQuerySchema = z.strictObject({
  environment: environmentNameSchema
    .optional()
    .meta({ description: 'Answer 404 unless the flag is configured for this environment.' }),
});

/** What PATCH may change: one environment, or `*` (the configuration of every environment the flag does not list). */
const patchEnvironmentSchema = z.union([environmentNameSchema, z.literal('*')]);

export const flagPatchSchema = z
  .strictObject({
    environment: patchEnvironmentSchema.optional().meta({
      description:
        'The environment to change, or `*`. Absent: the configuration SWITCHYARD_DEFAULT_ENVIRONMENT uses: its own, else the shared `*` (every environment sharing it changes).',
    }),
    version: z.int().min(0).optional().meta({
      description:
        'The version read (or send If-Match): a stale one gets 409. Absent: the change applies to the current version.',
    }),
    enabled: z.boolean().optional(),
    rolloutConfig: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: 'Merged into the environment\'s first rule, e.g. {"percentage": 50}.' }),
    rules: z
      .array(z.record(z.string(), z.unknown()))
      .optional()
      .meta({ description: "Replaces the environment's rules." }),
    fallthrough: z.record(z.string(), z.unknown()).optional(),
    description: z.string().optional(),
    owner: z.string().optional(),
    tags: z.array(z.string()).optional(),
    clientVisible: z.boolean().optional().meta({ description: CLIENT_VISIBLE_DESCRIPTION }),
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
  expectedVersion: z.int().min(0).optional().meta({
    description:
      'The current version read (or send If-Match): a stale one gets 409. Absent: rolls back whatever version is current.',
  }),
});

/** For the OpenAPI document only: flag bodies are validated by @switchyard/core's validateFlag, with these limits. */
export function flagDocument(limits: FlagLimits) {
  return {
    type: 'object',
    description:
      "A flag, canonical (`environments`) or in the seed's shape (`enabled`, `rolloutConfig`, `environments` list); " +
      'validated by @switchyard/core validateFlag. See docs/concepts.md.',
    required: ['name'],
    properties: {
      name: { type: 'string', pattern: FLAG_NAME_PATTERN.source, maxLength: limits.maxNameLength },
      description: { type: 'string', maxLength: limits.maxDescriptionLength },
      owner: { type: 'string', maxLength: limits.maxOwnerLength },
      tags: {
        type: 'array',
        maxItems: limits.maxTags,
        items: { type: 'string', minLength: 1, maxLength: limits.maxTagLength },
      },
      type: { type: 'string', enum: [...FLAG_VALUE_TYPES] },
      variants: { type: 'array', maxItems: limits.maxVariants, items: { type: 'object' } },
      offVariant: { type: 'string', maxLength: limits.maxVariantNameLength },
      bucketBy: { type: 'string' },
      environments: {
        oneOf: [
          { type: 'object', maxProperties: limits.maxEnvironments },
          {
            type: 'array',
            maxItems: limits.maxEnvironments,
            items: { type: 'string', maxLength: limits.maxEnvironmentNameLength },
          },
        ],
      },
      enabled: { type: 'boolean' },
      rolloutConfig: { type: 'object' },
      clientVisible: { type: 'boolean', description: CLIENT_VISIBLE_DESCRIPTION },
      version: {
        type: 'integer',
        description:
          'On PUT: the version read (or send If-Match); a stale one gets 409. Absent: replaces the current version.',
      },
    },
  };
}

export const storedFlagSchema = z
  .looseObject({
    name: z.string(),
    clientVisible: z.boolean().optional().meta({ description: CLIENT_VISIBLE_DESCRIPTION }),
    version: z.int(),
    revision: z.int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({
    id: 'StoredFlag',
    description: 'A flag as stored: the canonical flag plus version, revision and timestamps.',
  });

export const writtenFlagSchema = storedFlagSchema
  .extend({
    affectedEnvironments: z.array(z.string()).meta({
      description:
        "The relay's environments whose evaluation of the flag this write can change: those whose configuration " +
        '(their own, or the shared `*` they use) changed, or every environment the flag is in when a flag-wide field evaluation ' +
        'reads changed (type, variants, offVariant, bucketBy, clientVisible). Empty for a change of description, owner or tags only.',
    }),
  })
  .meta({ id: 'WrittenFlag', description: 'A flag as a write stored it, with the environments the write affected.' });

export const flagPageSchema = z.object({
  flags: z.array(storedFlagSchema),
  nextCursor: z.string().optional().meta({ description: 'Present when there are more flags: pass it as `cursor`.' }),
});

export const flagHistorySchema = z.object({
  flagName: z.string(),
  versions: z.array(storedFlagSchema),
  nextCursor: z
    .string()
    .optional()
    .meta({ description: 'Present when there are later versions: pass it as `cursor`.' }),
});
