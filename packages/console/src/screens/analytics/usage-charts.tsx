import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { FlagAnalytics, Granularity } from '@switchyard/protocol';
import { count, percent } from './analytics-format.js';
import { ChartFigure } from './chart-figure.js';

const ENABLED = '#1a7f37';
const DISABLED = '#6e7781';
const SHARE = '#0b5cad';
const BAR = '#0b5cad';

function slotLabel(start: string, granularity: Granularity): string {
  const date = new Date(start);
  return granularity === 'hour'
    ? date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/** Evaluations per hour or day, split enabled/disabled, with the enabled share as a line. */
export function EvaluationsOverTime({ analytics }: { analytics: FlagAnalytics }) {
  const data = analytics.timeSeries.map((point) => ({
    slot: slotLabel(point.start, analytics.granularity),
    enabled: point.enabledCount,
    disabled: point.disabledCount,
    share: point.totalEvaluations === 0 ? null : Math.round((point.enabledCount / point.totalEvaluations) * 1000) / 10,
  }));
  return (
    <ChartFigure
      title={`Evaluations per ${analytics.granularity}, and the share enabled`}
      summary={`${count(analytics.totalEvaluations)} evaluations, ${percent(analytics.totalEvaluations === 0 ? null : analytics.enabledCount / analytics.totalEvaluations)} enabled.`}
      chart={
        <ResponsiveContainer width="100%" height={280}>
          <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="slot" tick={{ fontSize: 12 }} minTickGap={16} />
            <YAxis yAxisId="count" tick={{ fontSize: 12 }} allowDecimals={false} width={48} />
            <YAxis yAxisId="share" orientation="right" domain={[0, 100]} unit="%" tick={{ fontSize: 12 }} width={44} />
            <Tooltip />
            <Legend />
            <Bar
              yAxisId="count"
              dataKey="enabled"
              name="Enabled"
              stackId="evaluations"
              fill={ENABLED}
              isAnimationActive={false}
            />
            <Bar
              yAxisId="count"
              dataKey="disabled"
              name="Disabled"
              stackId="evaluations"
              fill={DISABLED}
              isAnimationActive={false}
            />
            <Line
              yAxisId="share"
              dataKey="share"
              name="Enabled share (%)"
              stroke={SHARE}
              strokeWidth={2}
              dot={false}
              connectNulls
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      }
      table={
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{analytics.granularity === 'hour' ? 'Hour' : 'Day'}</th>
              <th scope="col" className="number">
                Enabled
              </th>
              <th scope="col" className="number">
                Disabled
              </th>
              <th scope="col" className="number">
                Enabled share
              </th>
            </tr>
          </thead>
          <tbody>
            {data
              .filter((row) => row.enabled + row.disabled > 0)
              .map((row) => (
                <tr key={row.slot}>
                  <td data-label="When">{row.slot}</td>
                  <td data-label="Enabled" className="number">
                    {count(row.enabled)}
                  </td>
                  <td data-label="Disabled" className="number">
                    {count(row.disabled)}
                  </td>
                  <td data-label="Enabled share" className="number">
                    {row.share === null ? '—' : `${row.share.toFixed(1)}%`}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      }
    />
  );
}

/** Evaluations per variant (a plain boolean flag has the one pseudo-variant "(none)"). */
export function VariantSplit({ analytics }: { analytics: FlagAnalytics }) {
  const total = analytics.totalEvaluations;
  const data = analytics.variants.map((variant) => ({
    variant: variant.variant,
    evaluations: variant.evaluations,
    users: variant.uniqueUsers,
  }));
  return (
    <ChartFigure
      title="Variant split"
      summary={
        data.map((row) => `${row.variant} ${percent(total === 0 ? null : row.evaluations / total)}`).join(', ') ||
        'No evaluations.'
      }
      chart={<HorizontalBars data={data} category="variant" value="evaluations" name="Evaluations" fill={BAR} />}
      table={
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Variant</th>
              <th scope="col" className="number">
                Evaluations
              </th>
              <th scope="col" className="number">
                Share
              </th>
              <th scope="col" className="number">
                Users
              </th>
            </tr>
          </thead>
          <tbody>
            {data.map((row) => (
              <tr key={row.variant}>
                <td data-label="Variant">{row.variant}</td>
                <td data-label="Evaluations" className="number">
                  {count(row.evaluations)}
                </td>
                <td data-label="Share" className="number">
                  {percent(total === 0 ? null : row.evaluations / total)}
                </td>
                <td data-label="Users" className="number">
                  {count(row.users)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

/** How often each outcome (tracked event) was reported. */
export function OutcomeCounts({ analytics }: { analytics: FlagAnalytics }) {
  const data = analytics.outcomes.map((outcome) => ({ outcome: outcome.outcome, count: outcome.count }));
  if (data.length === 0) return <p className="muted">No outcomes were tracked for this flag in the range.</p>;
  return (
    <ChartFigure
      title="Outcomes tracked"
      summary={data.map((row) => `${row.outcome}: ${count(row.count)}`).join(', ')}
      chart={<HorizontalBars data={data} category="outcome" value="count" name="Times tracked" fill={ENABLED} />}
      table={
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Outcome</th>
              <th scope="col" className="number">
                Times tracked
              </th>
            </tr>
          </thead>
          <tbody>
            {data.map((row) => (
              <tr key={row.outcome}>
                <td data-label="Outcome">{row.outcome}</td>
                <td data-label="Times tracked" className="number">
                  {count(row.count)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

/** One horizontal bar per row of `data`: `category` names it, `value` sizes it. */
function HorizontalBars(props: { data: object[]; category: string; value: string; name: string; fill: string }) {
  return (
    <ResponsiveContainer width="100%" height={Math.max(120, 48 * props.data.length + 40)}>
      <BarChart data={props.data} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} />
        <YAxis type="category" dataKey={props.category} width={96} tick={{ fontSize: 12 }} />
        <Tooltip />
        <Bar dataKey={props.value} name={props.name} fill={props.fill} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
