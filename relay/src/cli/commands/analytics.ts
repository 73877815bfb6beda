import type { Command } from 'commander';
import type { FlagAnalytics, OutcomeByVariant } from '@switchyard/protocol';
import { clientCommand, type ConnectionOptions, ENV_SHOWN, finishClientCommand, runWith } from '../cli-context.js';
import { parsePositiveInt } from '../flag-input.js';
import type { Output } from '../output.js';

interface AnalyticsOptions extends ConnectionOptions {
  name: string;
  days: number;
}

/** Days of analytics asked for when --days is not given (the seed's example). */
const DEFAULT_DAYS = 7;

export function registerAnalyticsCommand(program: Command): void {
  const command = clientCommand(program, 'analytics', { env: ENV_SHOWN })
    .description("show a flag's usage: evaluations, enabled share, unique users, variants, outcomes, per day")
    .requiredOption('--name <name>', 'flag name')
    .option('--days <n>', `how many days back (default ${DEFAULT_DAYS})`, parsePositiveInt, DEFAULT_DAYS);
  finishClientCommand(command, [
    'switchyard analytics --name my-feature --days 7',
    'switchyard analytics --name checkout-test --env production --json',
  ]);
  command.action(
    runWith<AnalyticsOptions>(async ({ api, out, env }, options) => {
      const report = (await api.analytics(options.name, options.days, env)) as unknown as FlagAnalytics;
      if (out.jsonMode) return out.json(report);
      printAnalytics(out, report);
    }),
  );
}

/** The seed's figures first (evaluations, enabled share), then the breakdowns as tables. */
function printAnalytics(out: Output, report: FlagAnalytics): void {
  out.line(
    out.bold(`${report.flagName} in ${report.environment ?? 'all environments'}, ${report.start} to ${report.end}`),
  );
  out.line();
  out.fields([
    ['evaluations', String(report.totalEvaluations)],
    ['enabled', `${report.enabledCount} (${percent(report.enabledCount, report.totalEvaluations)})`],
    ['disabled', String(report.disabledCount)],
    ['unique users', `${report.uniqueUsers}${report.uniqueUsersExact ? '' : ' (estimate)'}`],
    ['errors', errorText(report)],
  ]);
  if (report.variants.length > 0) {
    out.line();
    out.table(
      [
        { header: 'VARIANT', value: (row: FlagAnalytics['variants'][number]) => row.variant },
        { header: 'EVALUATIONS', value: (row) => String(row.evaluations) },
        { header: 'ENABLED', value: (row) => String(row.enabledCount) },
        { header: 'UNIQUE USERS', value: (row) => `${row.uniqueUsers}${row.uniqueUsersExact ? '' : '~'}` },
      ],
      report.variants,
      '',
    );
  }
  const outcomes = report.outcomes.flatMap((outcome) =>
    outcome.byVariant.map((row) => ({ outcome: outcome.outcome, ...row })),
  );
  if (outcomes.length > 0) {
    out.line();
    out.table<OutcomeByVariant & { outcome: string }>(
      [
        { header: 'OUTCOME', value: (row) => row.outcome },
        { header: 'VARIANT', value: (row) => row.variant },
        { header: 'COUNT', value: (row) => String(row.count) },
        { header: 'CONVERTERS', value: (row) => String(row.uniqueConverters) },
        {
          header: 'CONVERSION',
          value: (row) => (row.conversionRate === null ? '-' : `${(row.conversionRate * 100).toFixed(1)}%`),
        },
        {
          header: 'MEAN VALUE',
          value: (row) => (row.valueMean === null ? '-' : String(Number(row.valueMean.toFixed(4)))),
        },
      ],
      outcomes,
      '',
    );
  }
  out.line();
  out.table(
    [
      { header: report.granularity.toUpperCase(), value: (row: FlagAnalytics['timeSeries'][number]) => row.start },
      { header: 'EVALUATIONS', value: (row) => String(row.totalEvaluations) },
      { header: 'ENABLED', value: (row) => String(row.enabledCount) },
      { header: 'ERRORS', value: (row) => String(row.errorCount) },
      { header: 'UNIQUE USERS', value: (row) => String(row.uniqueUsers) },
    ],
    report.timeSeries,
    'no evaluations reported in this period',
  );
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((part / whole) * 100).toFixed(1)}%`;
}

function errorText(report: FlagAnalytics): string {
  const codes = Object.entries(report.errors ?? {}).map(([code, count]) => `${code} ${count}`);
  return codes.length === 0 ? String(report.errorCount) : `${report.errorCount} (${codes.join(', ')})`;
}
