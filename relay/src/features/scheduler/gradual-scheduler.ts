import type { SchedulerRunResult } from '@switchyard/protocol';
import { gradualStepDue, type EnvironmentConfig, type Flag } from '@switchyard/core';
import type { FlagStore, StoredFlag } from '../../store/store.js';
import { VersionConflictError } from '../../store/store-errors.js';
import { SCHEDULER_ACTOR } from '../audit/audit-service.js';
import type { FlagsService } from '../flags/flags-service.js';

export type { SchedulerRunResult } from '@switchyard/protocol';

/** One gradual rule that moved in a step. */
interface RuleStep {
  environment: string;
  ruleIndex: number;
  from: number;
  to: number;
}

const GRADUAL_STEP_ACTION = 'flag.gradual-step';
const LIST_PAGE_SIZE = 500;

/**
 * Raises gradual rollouts as they fall due. Each flag's step is one conditional write (the version
 * read), so when several relays run the same schedule on one database exactly one of them writes
 * each step; the others get a version conflict and find nothing due at their next run. A relay that
 * was down finds the percentage core computes as due now — exactly what is due, never more. Steps
 * are written through the flags service like any other write: validated, read into the flag map,
 * pushed to streams and audited as the scheduler.
 */
export class GradualScheduler {
  constructor(
    /** Where flags are read. */
    private readonly store: FlagStore,
    /** Where steps are written. */
    private readonly flags: Pick<FlagsService, 'replaceVersion'>,
    /**
     * The relay's flags in memory: a run reads from the store only the flags that look due there
     * (and re-checks them on the fresh copy), instead of listing every flag on every tick. Without
     * it, each run lists the store.
     */
    private readonly inMemory?: () => Iterable<Flag>,
  ) {}

  async run(now: Date = new Date()): Promise<SchedulerRunResult> {
    const result: SchedulerRunResult = { flagsChecked: 0, stepsApplied: 0, conflicts: 0, failures: [] };
    for await (const flag of this.inMemory ? this.dueInMemory(now) : this.allFlags()) {
      result.flagsChecked += 1;
      const stepped = stepFlag(flag, now);
      if (stepped === undefined) continue;
      const environments = [...new Set(stepped.steps.map((step) => step.environment))];
      try {
        const environment = environments.length === 1 ? environments[0] : undefined;
        await this.flags.replaceVersion(flag, stepped.flag, SCHEDULER_ACTOR, GRADUAL_STEP_ACTION, environment);
        result.stepsApplied += 1;
      } catch (error) {
        if (error instanceof VersionConflictError) result.conflicts += 1;
        else
          result.failures.push({ flagName: flag.name, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return result;
  }

  private async *dueInMemory(now: Date): AsyncGenerator<StoredFlag> {
    const names = [...this.inMemory!()].filter((flag) => stepFlag(flag, now) !== undefined).map((flag) => flag.name);
    for (const name of names) {
      const fresh = await this.store.get(name);
      if (fresh !== null) yield fresh;
    }
  }

  private async *allFlags(): AsyncGenerator<StoredFlag> {
    for (let after: string | undefined; ;) {
      const page = await this.store.list({ limit: LIST_PAGE_SIZE, ...(after === undefined ? {} : { after }) });
      yield* page;
      if (page.length < LIST_PAGE_SIZE) return;
      after = page[page.length - 1]!.name;
    }
  }
}

/** The flag with every gradual rule that is due raised; undefined when none is. */
function stepFlag<F extends Flag>(flag: F, now: Date): { flag: F; steps: RuleStep[] } | undefined {
  const steps: RuleStep[] = [];
  const environments: Record<string, EnvironmentConfig> = {};
  for (const [environment, config] of Object.entries(flag.environments)) {
    const rules = config.rules.map((rule, ruleIndex) => {
      if (rule.strategy !== 'gradual') return rule;
      const due = gradualStepDue(rule, now);
      if (due === null) return rule;
      steps.push({ environment, ruleIndex, from: rule.percentage ?? 0, to: due.percentage });
      return { ...rule, percentage: due.percentage, lastStepAt: due.lastStepAt };
    });
    environments[environment] = { ...config, rules };
  }
  return steps.length === 0 ? undefined : { flag: { ...flag, environments }, steps };
}
