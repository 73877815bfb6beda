import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { useSession } from '../../auth/session.js';
import { QueryStatus } from '../../ui/query-status.js';
import { SelectField } from '../../ui/select-field.js';
import { timeText } from '../../ui/time-text.js';
import '../../ui/data-table.css';

const WINDOWS = [7, 14, 30, 90] as const;

/** Why a flag is listed, in plain words (the relay's `reason`). */
const REASONS: Record<string, string> = {
  'not-evaluated': 'Not evaluated',
  'always-disabled': 'Off for everyone',
  'always-enabled': 'On for everyone',
};

/** Screen "Stale flags": the relay's cleanup report with owners, each flag linked to its page. */
export default function StaleScreen() {
  const session = useSession();
  const [days, setDays] = useState<number>(30);
  const report = useQuery({ queryKey: ['stale-report', days], queryFn: () => session.client.staleFlags(days) });
  const flags = [...(report.data?.flags ?? [])].sort(
    (a, b) => (a.owner ?? '~').localeCompare(b.owner ?? '~') || a.flagName.localeCompare(b.flagName),
  );
  const owners = new Map<string, number>();
  for (const flag of flags) owners.set(flag.owner ?? 'no owner', (owners.get(flag.owner ?? 'no owner') ?? 0) + 1);

  return (
    <section aria-labelledby="screen-title">
      <h1 id="screen-title">Stale flags</h1>
      <p className="screen-intro">
        Flags older than the window that nobody evaluated in it, or that served everyone the same in every environment:
        candidates for removing the flag and its old code path.
      </p>
      <div className="form-row">
        <SelectField
          label="Window"
          value={String(days)}
          options={WINDOWS.map((window) => ({ value: String(window), label: `last ${window} days` }))}
          onChange={(value) => setDays(Number(value))}
        />
      </div>
      <QueryStatus query={report} />
      {report.data && (
        <>
          <p role="status">
            {flags.length === 0
              ? `No stale flags in the last ${report.data.days} days.`
              : `${flags.length} stale ${flags.length === 1 ? 'flag' : 'flags'} since ${timeText(report.data.since)}: ${[...owners].map(([owner, count]) => `${owner} ${count}`).join(', ')}.`}
          </p>
          {flags.length > 0 && (
            <table className="data-table">
              <caption className="visually-hidden">Stale flags by owner</caption>
              <thead>
                <tr>
                  <th scope="col">Flag</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Why</th>
                  <th scope="col">Last evaluated</th>
                  <th scope="col" className="number">
                    Evaluations in window
                  </th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {flags.map((flag) => (
                  <tr key={flag.flagName}>
                    <td data-label="Flag">
                      <Link href={`/flags/${encodeURIComponent(flag.flagName)}`}>{flag.flagName}</Link>
                    </td>
                    <td data-label="Owner">{flag.owner ?? <span className="muted">no owner</span>}</td>
                    <td data-label="Why">{REASONS[flag.reason] ?? flag.reason}</td>
                    <td data-label="Last evaluated">
                      {flag.lastEvaluatedAt === null ? 'never' : timeText(flag.lastEvaluatedAt)}
                    </td>
                    <td data-label="Evaluations in window" className="number">
                      {flag.evaluations.toLocaleString()}
                    </td>
                    <td data-label="Created">{timeText(flag.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
