import type { StoredFlag } from '../../api/types.js';
import { environmentState } from '../../flags/environment-state.js';

/** One flag in one environment: on/off, what it serves, and a gradual rollout's progress. */
export function EnvironmentCell({ flag, environment }: { flag: StoredFlag; environment: string }) {
  const state = environmentState(flag, environment);
  const gradual = state.status === 'on' ? state.gradual : undefined;
  return (
    <div className="env-cell">
      <span className={`status status-${state.status}`}>{state.status === 'on' ? 'On' : 'Off'}</span>{' '}
      <span className="env-summary">{state.status === 'absent' ? 'not configured' : state.summary}</span>
      {gradual !== undefined && (
        <progress
          className="gradual-progress"
          max={100}
          value={gradual.percentage ?? 0}
          aria-label={`${flag.name} in ${environment}: gradual rollout at ${gradual.percentage ?? 0}% of ${gradual.maxPercentage ?? 100}%`}
        />
      )}
    </div>
  );
}
