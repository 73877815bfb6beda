import { gradualStepDue, type Flag } from '@switchyard/core';
import type { JobStatus } from '../../jobs/job-runner.js';
import type { GradualRolloutView, SchedulerStatus } from '@switchyard/protocol';

export type { GradualRolloutView, SchedulerStatus } from '@switchyard/protocol';

const DAY_SECONDS = 86_400;

export function gradualRollouts(flags: Iterable<Flag>, now: Date): GradualRolloutView[] {
  const views: GradualRolloutView[] = [];
  for (const flag of flags) {
    for (const [environment, config] of Object.entries(flag.environments)) {
      config.rules.forEach((rule, ruleIndex) => {
        if (rule.strategy !== 'gradual') return;
        const percentage = rule.percentage ?? 0;
        const maxPercentage = rule.maxPercentage ?? 100;
        const gradualPeriodSeconds = rule.gradualPeriodSeconds ?? DAY_SECONDS;
        const due = gradualStepDue(rule, now) !== null;
        const base = rule.lastStepAt ?? rule.startDate;
        const finished = rule.paused === true || percentage >= maxPercentage || base === undefined;
        views.push({
          flagName: flag.name,
          environment,
          ruleIndex,
          ...(rule.name === undefined ? {} : { ruleName: rule.name }),
          percentage,
          maxPercentage,
          gradualIncrement: rule.gradualIncrement ?? 0,
          gradualPeriodSeconds,
          ...(rule.startDate === undefined ? {} : { startDate: rule.startDate }),
          ...(rule.lastStepAt === undefined ? {} : { lastStepAt: rule.lastStepAt }),
          paused: rule.paused === true,
          due,
          nextStepAt: finished ? null : due ? now.toISOString() : nextAfter(base, gradualPeriodSeconds),
        });
      });
    }
  }
  return views;
}

function nextAfter(base: string, periodSeconds: number): string {
  return new Date(Date.parse(base) + periodSeconds * 1000).toISOString();
}

export function schedulerStatus(job: JobStatus, flags: Iterable<Flag>, now: Date): SchedulerStatus {
  const rollouts = gradualRollouts(flags, now);
  return {
    cron: job.schedule,
    running: job.running,
    lastRun: job.lastRun as SchedulerStatus['lastRun'],
    nextRunAt: job.nextRunAt,
    flagsDue: [...new Set(rollouts.filter((r) => r.due).map((r) => r.flagName))],
    rollouts,
  };
}
