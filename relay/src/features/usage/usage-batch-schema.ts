import { ERROR_CODES } from '@switchyard/core';
import { HLL_PRECISION, HLL_REGISTERS, USER_SKETCH_REGISTERS_PATTERN } from '@switchyard/protocol';
import { z } from 'zod';
import type { UsageSettings } from './usage-settings.js';

/** Longest variant, outcome or user name accepted in usage (and flag name, unless the relay allows longer flag names). */
const USAGE_NAME_MAX_LENGTH = 256;

/**
 * `POST /api/v1/usage`: the UsageBatch of @switchyard/protocol, with the relay's limits. Unknown
 * fields are ignored (newer senders), anything else wrong rejects the whole batch with its path.
 */
export function usageBatchSchema(settings: UsageSettings, maxFlagNameLength: number, now: () => number = Date.now) {
  const name = z.string().min(1).max(USAGE_NAME_MAX_LENGTH);
  const flagName = z.string().min(1).max(Math.max(USAGE_NAME_MAX_LENGTH, maxFlagNameLength));
  const timestamp = z.iso
    .datetime({ offset: true })
    .refine((value) => Date.parse(value) <= now() + settings.maxClockSkewSeconds * 1000, {
      message: `must not lie more than ${settings.maxClockSkewSeconds} s in the future (SWITCHYARD_USAGE_MAX_CLOCK_SKEW_SECONDS)`,
    });
  const count = z
    .number()
    .int()
    .min(0)
    .max(settings.maxCountPerEntry, `at most ${settings.maxCountPerEntry} (SWITCHYARD_USAGE_MAX_COUNT_PER_ENTRY)`);
  const userSketch = z
    .object({
      precision: z.literal(HLL_PRECISION, `the HyperLogLog precision both sides use: ${HLL_PRECISION}`),
      registers: z
        .string()
        .regex(
          USER_SKETCH_REGISTERS_PATTERN,
          `exactly ${HLL_REGISTERS} characters 0-9 and a-x: one base-36 rank (0 to 33) per register`,
        ),
    })
    .meta({
      description:
        "HyperLogLog sketch of the entry's distinct users, sent instead of userIds past the sender's exact limit.",
    });
  const evaluationCount = z
    .object({
      flagName,
      variant: name.optional(),
      enabled: z.boolean(),
      count,
      userIds: z
        .array(name)
        .max(
          settings.maxUserIdsPerEntry,
          `at most ${settings.maxUserIdsPerEntry} user ids per entry (SWITCHYARD_USAGE_MAX_USER_IDS_PER_ENTRY)`,
        )
        .optional(),
      userSketch: userSketch.optional(),
      periodStart: timestamp,
    })
    .superRefine((entry, context) => {
      // Each user id is one of the entry's evaluations: more ids than evaluations would count more users than evaluations.
      if (entry.userIds && entry.userIds.length > entry.count) {
        context.addIssue({
          code: 'custom',
          path: ['userIds'],
          message: `${entry.userIds.length} user ids for ${entry.count} evaluations: at most count ids`,
        });
      }
      if (entry.userIds && entry.userSketch) {
        context.addIssue({
          code: 'custom',
          path: ['userSketch'],
          message: "either userIds (exact) or userSketch (past the sender's exact limit), not both",
        });
      }
    });
  const errorCount = z.object({ flagName, errorCode: z.enum(ERROR_CODES), count, periodStart: timestamp });
  const metadata = z
    .record(z.string(), z.json())
    .refine((value) => Buffer.byteLength(JSON.stringify(value)) <= settings.maxMetadataBytes, {
      message: `must be at most ${settings.maxMetadataBytes} bytes as JSON (SWITCHYARD_USAGE_MAX_METADATA_BYTES)`,
    });
  const trackedEvent = z.object({
    name,
    flagName: flagName.optional(),
    variant: name.optional(),
    userId: name.optional(),
    value: z
      .number()
      .finite()
      .min(-settings.maxValue, `at least -${settings.maxValue} (SWITCHYARD_USAGE_MAX_VALUE)`)
      .max(settings.maxValue, `at most ${settings.maxValue} (SWITCHYARD_USAGE_MAX_VALUE)`)
      .optional(),
    metadata: metadata.optional(),
    timestamp,
  });
  const entriesMessage = `at most ${settings.maxEntriesPerBatch} entries per batch (SWITCHYARD_USAGE_MAX_ENTRIES_PER_BATCH)`;
  return z
    .object({
      environment: z.string().min(1).max(USAGE_NAME_MAX_LENGTH).optional(),
      evaluations: z.array(evaluationCount).max(settings.maxEntriesPerBatch, entriesMessage).optional(),
      errors: z.array(errorCount).max(settings.maxEntriesPerBatch, entriesMessage).optional(),
      events: z.array(trackedEvent).max(settings.maxEntriesPerBatch, entriesMessage).optional(),
      dropped: count.optional(),
    })
    .superRefine((batch, context) => {
      const entries = (batch.evaluations?.length ?? 0) + (batch.errors?.length ?? 0) + (batch.events?.length ?? 0);
      if (entries > settings.maxEntriesPerBatch) {
        context.addIssue({ code: 'custom', path: [], message: `${entries} entries: ${entriesMessage}` });
      }
      const sketches = (batch.evaluations ?? []).filter((entry) => entry.userSketch).length;
      if (sketches > settings.maxSketchesPerBatch) {
        context.addIssue({
          code: 'custom',
          path: ['evaluations'],
          message: `${sketches} entries with a userSketch: at most ${settings.maxSketchesPerBatch} per batch (SWITCHYARD_USAGE_MAX_SKETCHES_PER_BATCH)`,
        });
      }
    });
}
