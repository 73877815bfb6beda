import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useSession } from '../../auth/session.js';
import { useAllFlags, useFlag } from '../../flags/use-flags.js';
import { flagKey } from '../../live/query-keys.js';
import { errorText } from '../../ui/error-text.js';
import { QueryStatus } from '../../ui/query-status.js';
import { SelectField } from '../../ui/select-field.js';
import '../../ui/data-table.css';
import type { Granularity } from '@switchyard/protocol';
import { experimentReport, flagAnalytics } from './analytics-api.js';
import { count, percent } from './analytics-format.js';
import { ExperimentResults } from './experiment-results.js';
import { EvaluationsOverTime, OutcomeCounts, VariantSplit } from './usage-charts.js';
import './analytics.css';

const RANGES = [1, 7, 30, 90] as const;

/** Screen "Analytics": a flag's usage as pictures, and its A/B results when it has variants. */
export default function AnalyticsScreen({ flagName }: { flagName?: string }) {
  const [, navigate] = useLocation();
  const flags = useAllFlags();
  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">Analytics{flagName ? `: ${flagName}` : ''}</h1>
      <div className="form-row">
        <SelectField
          label="Flag"
          value={flagName ?? ''}
          options={[
            { value: '', label: 'Choose a flag…', disabled: true },
            ...(flags.data ?? []).map((flag) => flag.name),
          ]}
          onChange={(name) => navigate(`/analytics/${encodeURIComponent(name)}`)}
        />
      </div>
      {flags.isError && (
        <p className="error-line" role="alert">
          {errorText(flags.error)}
        </p>
      )}
      {flagName === undefined ? (
        <p className="muted">Choose a flag to see how it is used.</p>
      ) : (
        <FlagAnalyticsView key={flagName} flagName={flagName} />
      )}
    </section>
  );
}

function FlagAnalyticsView({ flagName }: { flagName: string }) {
  const session = useSession();
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
        <SelectField
          label="Range"
          value={String(days)}
          options={RANGES.map((range) => ({
            value: String(range),
            label: `last ${range === 1 ? '24 hours' : `${range} days`}`,
          }))}
          onChange={(value) => setDays(Number(value))}
        />
        <SelectField
          label="Per"
          value={granularity}
          options={['hour', 'day']}
          onChange={(value) => setGranularity(value as Granularity)}
        />
        <SelectField
          label="Environment"
          value={environment}
          options={[{ value: '', label: 'all' }, ...session.whoami.relay.environments]}
          onChange={setEnvironment}
        />
      </div>
      <QueryStatus query={analytics} />
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
          {analytics.data.droppedBySender > 0 && (
            <p className="muted" data-figure="dropped-by-sender">
              Senders reported losing {count(analytics.data.droppedBySender)} usage entries in this range (full buffers,
              batches never delivered): the figures here may fall short by up to that many.
            </p>
          )}
          <div className="charts">
            <EvaluationsOverTime analytics={analytics.data} />
            <VariantSplit analytics={analytics.data} />
            <OutcomeCounts analytics={analytics.data} />
          </div>
          <h2>A/B results</h2>
          {hasVariants ? (
            <Experiment
              flagName={flagName}
              variants={flag.data!.variants.map((variant) => variant.name)}
              outcomes={analytics.data.outcomes.map((outcome) => outcome.outcome)}
              days={Math.max(days, 1)}
              environment={environment}
            />
          ) : (
            <p className="muted">
              {flag.isPending ? 'Loading…' : 'An A/B test needs a flag with at least two variants.'}
            </p>
          )}
        </>
      )}
    </>
  );
}

function Experiment({
  flagName,
  variants,
  outcomes,
  days,
  environment,
}: {
  flagName: string;
  variants: string[];
  outcomes: string[];
  days: number;
  environment: string;
}) {
  const session = useSession();
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
        <SelectField label="Outcome" value={outcome} options={outcomeChoices} onChange={setOutcome} />
        <SelectField label="Control" value={control} options={variants} onChange={setControl} />
      </div>
      <QueryStatus query={report} />
      {report.data && <ExperimentResults report={report.data} />}
    </>
  );
}
