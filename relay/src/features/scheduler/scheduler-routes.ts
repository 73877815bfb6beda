import { z } from 'zod';
import { defineRoute, type Route } from '../../http/route.js';
import type { SchedulerStatus } from './scheduler-status.js';

const runResult = z.object({
  flagsChecked: z.number().int(),
  stepsApplied: z.number().int(),
  conflicts: z.number().int(),
  failures: z.array(z.object({ flagName: z.string(), error: z.string() })),
});

const schedulerStatusSchema = z.object({
  cron: z.string(),
  running: z.boolean(),
  lastRun: z
    .object({
      startedAt: z.string(),
      finishedAt: z.string(),
      result: runResult.optional(),
      error: z.string().optional(),
    })
    .nullable(),
  nextRunAt: z.string().nullable(),
  flagsDue: z.array(z.string()),
  rollouts: z.array(
    z.object({
      flagName: z.string(),
      environment: z.string(),
      ruleIndex: z.number().int(),
      ruleName: z.string().optional(),
      percentage: z.number(),
      maxPercentage: z.number(),
      gradualIncrement: z.number(),
      gradualPeriodSeconds: z.number(),
      startDate: z.string().optional(),
      lastStepAt: z.string().optional(),
      paused: z.boolean(),
      due: z.boolean(),
      nextStepAt: z.string().nullable(),
    }),
  ),
});

/** `GET /api/v1/scheduler`: for the seed's "gradual rollout not updating" troubleshooting. */
export function schedulerRoutes(scheduler: { schedulerStatus(now?: Date): SchedulerStatus }): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/scheduler',
      operationId: 'getScheduler',
      summary: 'Read the gradual-rollout scheduler',
      tag: 'Scheduler',
      access: ['admin', 'editor', 'viewer'],
      responses: {
        200: {
          description:
            'The scheduler as this relay sees it (from memory): its cron, last run, next run, and every gradual rollout with what is due.',
          schema: schedulerStatusSchema,
        },
      },
      handle: () => ({ body: scheduler.schedulerStatus() }),
    }),
  ];
}
