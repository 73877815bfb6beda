import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ExperimentReport } from '@switchyard/protocol';
import { count, percent, points, pValueText, significanceWords, uplift, usersStillNeeded } from './analytics-format.js';
import { ChartFigure } from './chart-figure.js';

/** The A/B results: conversion rate per variant with its 95% interval (an interval plot), uplift, p-value, a verdict in words and the always-valid (sequential) verdict. */
export function ExperimentResults({ report }: { report: ExperimentReport }) {
  const plotted = report.arms
    .filter((arm) => arm.conversionRate !== null && arm.interval !== null)
    .map((arm) => {
      const interval: [number, number] = [arm.interval!.lower * 100, arm.interval!.upper * 100];
      return { variant: arm.variant, rate: arm.conversionRate! * 100, interval };
    });
  const needed = usersStillNeeded(report);
  const axisMax = niceCeiling(Math.max(1, ...plotted.map((arm) => arm.interval[1])));
  const srm = report.sampleRatioMismatch;
  return (
    <div className="experiment" data-testid="experiment-results">
      {report.status === 'not-enough-data' && (
        <div className="notice" role="note" aria-label="Not enough data">
          <p>
            <strong>Not enough data yet.</strong> Each variant in the split needs at least{' '}
            {count(report.minUsersPerVariant)} users before variants are compared. Still needed: {count(needed.total)}{' '}
            {needed.total === 1 ? 'user' : 'users'} (
            {needed.byArm.map((arm) => `${arm.variant} ${count(arm.needed)}`).join(', ')}).
          </p>
        </div>
      )}
      {srm?.mismatch && (
        <div className="notice danger-notice" role="note" aria-label="Sample ratio mismatch">
          <p>
            <strong>Sample ratio mismatch.</strong> Users are not split between the variants as their weights say
            (chi-square p {pValueText(srm.pValue)}). Something skews who sees what (bucketing, users dropping out,
            bots): do not trust the comparison until that is explained.
          </p>
        </div>
      )}
      {report.warnings.length > 0 && (
        <ul className="warnings" aria-label="Warnings from the relay">
          {report.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      <ChartFigure
        title={`Conversion rate of "${report.outcome}" per variant, with 95% intervals`}
        summary={report.arms
          .map(
            (arm) =>
              `${arm.variant} ${percent(arm.conversionRate)}${arm.interval ? ` (${percent(arm.interval.lower)} to ${percent(arm.interval.upper)})` : ''}`,
          )
          .join('; ')}
        chart={
          <ResponsiveContainer width="100%" height={Math.max(160, 70 * plotted.length + 60)}>
            <BarChart data={plotted} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis
                type="number"
                unit="%"
                domain={[0, axisMax]}
                ticks={ticksTo(axisMax)}
                allowDataOverflow
                tick={{ fontSize: 12 }}
              />
              <YAxis type="category" dataKey="variant" width={96} tick={{ fontSize: 12 }} />
              <Tooltip
                formatter={(value) =>
                  Array.isArray(value)
                    ? `${Number(value[0]).toFixed(1)}% to ${Number(value[1]).toFixed(1)}%`
                    : String(value)
                }
              />
              <Bar dataKey="interval" name="95% interval" shape={IntervalMark} barSize={18} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        }
      />
      <ArmsTable report={report} />
      {report.sampleSize && (
        <p className="muted">
          A fixed-horizon test needs {count(report.sampleSize.usersPerVariant)} users per variant to detect a{' '}
          {uplift(report.sampleSize.minimumDetectableEffect)} uplift with {Math.round(report.sampleSize.power * 100)}%
          power; the "What it means" column is valid read once at that size, "Safe to read daily" at any time.
        </p>
      )}
    </div>
  );
}

interface IntervalMarkProps {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  payload?: { rate: number; interval: [number, number] };
}

/** One arm of the interval plot: a line from the lower to the upper bound with end caps, and a dot at the rate. */
function IntervalMark({ x = 0, y = 0, width = 0, height = 0, payload }: IntervalMarkProps) {
  if (payload === undefined) return null;
  const [lower, upper] = payload.interval;
  const middle = y + height / 2;
  const rateX = upper === lower ? x : x + (width * (payload.rate - lower)) / (upper - lower);
  return (
    <g>
      <line x1={x} x2={x + width} y1={middle} y2={middle} stroke="#17202a" strokeWidth={2} />
      <line x1={x} x2={x} y1={y} y2={y + height} stroke="#17202a" strokeWidth={2} />
      <line x1={x + width} x2={x + width} y1={y} y2={y + height} stroke="#17202a" strokeWidth={2} />
      <circle cx={rateX} cy={middle} r={6} fill="#0b5cad" stroke="#fff" strokeWidth={1.5} />
    </g>
  );
}

/** The axis end: the largest upper bound rounded up to a multiple of 5 (percent), at most 100. */
function niceCeiling(value: number): number {
  return Math.min(100, Math.ceil(value / 5) * 5);
}

function ticksTo(max: number): number[] {
  const step = max > 50 ? 20 : max > 20 ? 10 : 5;
  return Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step);
}

function ArmsTable({ report }: { report: ExperimentReport }) {
  return (
    <table className="data-table arms-table">
      <caption className="visually-hidden">A/B results per variant against the control {report.control}</caption>
      <thead>
        <tr>
          <th scope="col">Variant</th>
          <th scope="col" className="number">
            Users
          </th>
          <th scope="col" className="number">
            Converted
          </th>
          <th scope="col" className="number">
            Conversion rate
          </th>
          <th scope="col">95% interval</th>
          <th scope="col" className="number">
            Difference
          </th>
          <th scope="col" className="number">
            Uplift
          </th>
          <th scope="col" className="number">
            p-value
          </th>
          <th scope="col">What it means</th>
          <th scope="col">Safe to read daily</th>
        </tr>
      </thead>
      <tbody>
        {report.arms.map((arm) => (
          <tr key={arm.variant} data-variant={arm.variant}>
            <td data-label="Variant">
              <span>
                {arm.variant}
                {arm.isControl && <span className="muted"> (control)</span>}
              </span>
            </td>
            <td data-label="Users" className="number">
              {count(arm.users)}
            </td>
            <td data-label="Converted" className="number">
              {count(arm.converters)}
            </td>
            <td data-label="Conversion rate" className="number">
              {percent(arm.conversionRate)}
            </td>
            <td data-label="95% interval">
              {arm.interval ? `${percent(arm.interval.lower)} to ${percent(arm.interval.upper)}` : '—'}
            </td>
            <td data-label="Difference" className="number">
              {arm.comparison ? points(arm.comparison.absoluteDifference) : '—'}
            </td>
            <td data-label="Uplift" className="number">
              {arm.comparison ? uplift(arm.comparison.relativeUplift) : '—'}
            </td>
            <td data-label="p-value" className="number">
              {arm.comparison ? pValueText(arm.comparison.pValue) : '—'}
            </td>
            <td data-label="What it means">{significanceWords(arm, report.control)}</td>
            <td data-label="Safe to read daily" data-testid="sequential-verdict">
              {arm.sequential ? (
                <span>
                  {arm.sequential.verdict}{' '}
                  <span className="muted">
                    (always-valid p {pValueText(arm.sequential.alwaysValidPValue)}; difference{' '}
                    {points(arm.sequential.confidenceSequence.lower)} to{' '}
                    {points(arm.sequential.confidenceSequence.upper)})
                  </span>
                </span>
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
