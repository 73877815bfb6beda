import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useSession } from '../../auth/session.js';
import { useAllFlags, useFlag } from '../../flags/use-flags.js';
import { flagKey } from '../../live/query-keys.js';
import { errorText } from '../../ui/error-text.js';
import '../../ui/data-table.css';
import { experimentReport, flagAnalytics, type Granularity } from './analytics-api.js';
import { count, percent } from './analytics-format.js';
import { ExperimentResults } from './experiment-results.js';
import { EvaluationsOverTime, OutcomeCounts, VariantSplit } from './usage-charts.js';
import './analytics.css';

const RANGES = [1, 7, 30, 90] as const;

/** Screen "Analytics": a flag's usage as pictures, and its A/B results when it has variants. */
export default function AnalyticsScreen({ flagName }: { flagName?: string }) {
  const [, navigate] = useLocation();
  const flags = useAllFlags();
  const id = useId();
  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">Analytics{flagName ? `: ${flagName}` : ''}</h1>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${id}-flag`}>Flag</label>
          <select id={`${id}-flag`} value={flagName ?? ''} onChange={(event) => navigate(`/analytics/${encodeURIComponent(event.target.value)}`)}>
            <option value="" disabled>
              Choose a flag…
            </option>
            {(flags.data ?? []).map((flag) => (
              <option key={flag.name} value={flag.name}>
                {flag.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {flags.isError && <p className="error-line" role="alert">{errorText(flags.error)}</p>}
      {flagName === undefined ? <p className="muted">Choose a flag to see how it is used.</p> : <FlagAnalyticsView key={flagName} flagName={flagName} />}
    </section>
  );
}

function FlagAnalyticsView({ flagName }: { flagName: string }) {
  const session = useSession();
  const id = useId();
  const [days, setDays] = useState<number>(7);
  const [granularity, setGranularity] = useState<Granularity>('day');
  const [environment, setEnvironment] = useState('');
  const query = { days, granularity, ...(environment === '' ? {} : { environment }) };
  const analytics = useQuery({
    queryKey: [...flagKey(flagName), 'analytics', query],
    queryFn: () => flagAnalytics(session.client, flagName, query),
  });
  const flag = useFlag(flagName);
  const hasVariants = (flag.data?.variants.length ?? 0) >= 2;
  const total = analytics.data?.totalEvaluations ?? 0;

  return (
    <>
      <p className="screen-intro">
        <Link href={`/flags/${encodeURIComponent(flagName)}`}>Open the flag</Link>
      </p>
      <div className="form-row" role="group" aria-label="Range">
        <div className="field">
          <label htmlFor={`${id}-days`}>Range</label>
          <select id={`${id}-days`} value={days} onChange={(event) => setDays(Number(event.target.value))}>
            {RANGES.map((range) => (
              <option key={range} value={range}>
                last {range === 1 ? '24 hours' : `${range} days`}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-granularity`}>Per</label>
          <select id={`${id}-granularity`} value={granularity} onChange={(event) => setGranularity(event.target.value as Granularity)}>
            <option value="hour">hour</option>
            <option value="day">day</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-environment`}>Environment</label>
          <select id={`${id}-environment`} value={environment} onChange={(event) => setEnvironment(event.target.value)}>
            <option value="">all</option>
            {session.whoami.relay.environments.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {analytics.isPending && <p className="muted" role="status">Loading…</p>}
      {analytics.isError && <p className="error-line" role="alert">{errorText(analytics.error)}</p>}
      {analytics.data && (
        <>
          <dl className="figures" aria-label="Totals">
            <div>
              <dt>Evaluations</dt>
              <dd data-figure="evaluations">{count(analytics.data.totalEvaluations)}</dd>
            </div>
            <div>
              <dt>Enabled</dt>
              <dd data-figure="enabled-share">{percent(total === 0 ? null : analytics.data.enabledCount / total)}</dd>
            </div>
            <div>
              <dt>Users{analytics.data.uniqueUsersExact ? '' : ' (estimate)'}</dt>
              <dd data-figure="users">{count(analytics.data.uniqueUsers)}</dd>
            </div>
            <div>
              <dt>Errors</dt>
              <dd data-figure="errors">{count(analytics.data.errorCount)}</dd>
            </div>
          </dl>
          <div className="charts">
            <EvaluationsOverTime analytics={analytics.data} />
            <VariantSplit analytics={analytics.data} />
            <OutcomeCounts analytics={analytics.data} />
          </div>
          <h2>A/B results</h2>
          {hasVariants ? (
            <Experiment flagName={flagName} variants={flag.data!.variants.map((variant) => variant.name)} outcomes={analytics.data.outcomes.map((outcome) => outcome.outcome)} days={Math.max(days, 1)} environment={environment} />
          ) : (
            <p className="muted">{flag.isPending ? 'Loading…' : 'An A/B test needs a flag with at least two variants.'}</p>
          )}
        </>
      )}
    </>
  );
}

function Experiment({ flagName, variants, outcomes, days, environment }: { flagName: string; variants: string[]; outcomes: string[]; days: number; environment: string }) {
  const session = useSession();
  const id = useId();
  const outcomeChoices = outcomes.length > 0 ? outcomes : ['conversion'];
  const [outcome, setOutcome] = useState(outcomeChoices.includes('conversion') ? 'conversion' : outcomeChoices[0]!);
  const [control, setControl] = useState(variants[0]!);
  const query = { days, outcome, control, ...(environment === '' ? {} : { environment }) };
  const report = useQuery({
    queryKey: [...flagKey(flagName), 'experiment', query],
    queryFn: () => experimentReport(session.client, flagName, query),
  });
  return (
    <>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${id}-outcome`}>Outcome</label>
          <select id={`${id}-outcome`} value={outcome} onChange={(event) => setOutcome(event.target.value)}>
            {outcomeChoices.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-control`}>Control</label>
          <select id={`${id}-control`} value={control} onChange={(event) => setControl(event.target.value)}>
            {variants.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {report.isPending && <p className="muted" role="status">Loading…</p>}
      {report.isError && <p className="error-line" role="alert">{errorText(report.error)}</p>}
      {report.data && <ExperimentResults report={report.data} />}
    </>
  );
}
