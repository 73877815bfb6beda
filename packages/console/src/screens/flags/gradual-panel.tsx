import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { GradualRolloutStatus, StoredFlag } from '../../api/types.js';
import { useSession } from '../../auth/session.js';
import { draftOf } from '../../flags/flag-draft.js';
import { useScheduler } from '../../flags/use-flags.js';
import { flagKey } from '../../live/query-keys.js';
import { ErrorLine } from '../../ui/error-line.js';

/** The flag's gradual rollouts as the scheduler sees them (current %, next step, maximum), with pause/resume, and the scheduler's own status. */
export function GradualPanel({ flag }: { flag: StoredFlag }) {
  const { client, canEdit } = useSession();
  const scheduler = useScheduler();
  const queryClient = useQueryClient();
  const rollouts = (scheduler.data?.rollouts ?? []).filter((rollout) => rollout.flagName === flag.name);
  const pause = useMutation({
    mutationFn: (target: { rollout: GradualRolloutStatus; paused: boolean }) => {
      const next = draftOf(flag);
      const rule = next.environments[target.rollout.environment]?.rules[target.rollout.ruleIndex];
      if (rule === undefined || rule.strategy !== 'gradual')
        throw new Error('the rollout changed meanwhile; look again');
      rule.paused = target.paused;
      if (!target.paused) delete rule.paused;
      return client.replaceFlag(next, flag.version);
    },
    onSuccess: (stored) => {
      queryClient.setQueryData(flagKey(flag.name), stored);
      void queryClient.invalidateQueries({ queryKey: ['scheduler'] });
    },
  });
  const hasGradual = Object.values(flag.environments).some((config) =>
    config.rules.some((rule) => rule.strategy === 'gradual'),
  );
  if (!hasGradual) return null;
  const status = scheduler.data;
  return (
    <section aria-labelledby="gradual-title">
      <h2 id="gradual-title">Gradual rollouts</h2>
      {scheduler.error && <ErrorLine error={scheduler.error} prefix="The scheduler could not be read" />}
      {rollouts.length > 0 && (
        <table className="state-table">
          <thead>
            <tr>
              <th scope="col">Environment</th>
              <th scope="col">Now</th>
              <th scope="col">Maximum</th>
              <th scope="col">Step</th>
              <th scope="col">Next step</th>
              {canEdit && <th scope="col">Pause</th>}
            </tr>
          </thead>
          <tbody>
            {rollouts.map((rollout) => (
              <tr key={`${rollout.environment}-${rollout.ruleIndex}`}>
                <th scope="row">
                  {rollout.environment}
                  {rollout.ruleName ? ` (${rollout.ruleName})` : ''}
                </th>
                <td>
                  {rollout.percentage}%{' '}
                  <progress
                    max={100}
                    value={rollout.percentage}
                    aria-label={`${rollout.environment}: ${rollout.percentage}% of ${rollout.maxPercentage}%`}
                  />
                </td>
                <td>{rollout.maxPercentage}%</td>
                <td>
                  +{rollout.gradualIncrement}% every {periodWords(rollout.gradualPeriodSeconds)}
                </td>
                <td>{nextStepWords(rollout)}</td>
                {canEdit && (
                  <td>
                    <button
                      type="button"
                      disabled={pause.isPending}
                      onClick={() => pause.mutate({ rollout, paused: !rollout.paused })}
                    >
                      {rollout.paused ? `Resume in ${rollout.environment}` : `Pause in ${rollout.environment}`}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pause.error && <ErrorLine error={pause.error} prefix="The rollout was not changed" />}
      {status && (
        <p className="muted">
          Scheduler: {status.running ? 'running now' : 'idle'}, cron “{status.cron}”
          {status.nextRunAt ? `, next run ${new Date(status.nextRunAt).toLocaleString()}` : ''}
          {status.lastRun
            ? `, last run ${new Date(status.lastRun.finishedAt).toLocaleString()}${status.lastRun.error ? ` failed: ${status.lastRun.error}` : ''}`
            : ', not run yet'}
          .
        </p>
      )}
    </section>
  );
}

function nextStepWords(rollout: GradualRolloutStatus): string {
  if (rollout.paused) return 'paused';
  if (rollout.percentage >= rollout.maxPercentage) return 'done (at its maximum)';
  if (rollout.due) return 'due at the next scheduler run';
  return rollout.nextStepAt ? new Date(rollout.nextStepAt).toLocaleString() : 'not scheduled';
}

function periodWords(seconds: number): string {
  if (seconds % 86_400 === 0) return seconds === 86_400 ? 'day' : `${seconds / 86_400} days`;
  if (seconds % 3600 === 0) return seconds === 3600 ? 'hour' : `${seconds / 3600} hours`;
  return `${seconds} s`;
}
