import type { Command } from 'commander';
import type { StaleFlag, StaleReason } from '../../features/analytics/stale-flags.js';
import { clientCommand, type ConnectionOptions, finishClientCommand, runWith } from '../cli-context.js';
import { parsePositiveInt } from '../flag-input.js';

interface StaleOptions extends ConnectionOptions {
  days?: number;
}

/** Each reason as the cleanup it suggests. */
const REASON_TEXT: Record<StaleReason, string> = {
  'not-evaluated': 'not evaluated',
  'always-enabled': 'on for everyone',
  'always-disabled': 'off for everyone',
};

export function registerStaleCommand(program: Command): void {
  const command = clientCommand(program, 'stale', { env: false })
    .description('list flags ready for cleanup: not evaluated, or served the same to everyone, for the last N days')
    .option('--days <n>', "how many days back (default: the relay's, 30)", parsePositiveInt);
  finishClientCommand(command, [
    'switchyard stale',
    'switchyard stale --days 90',
    'switchyard stale --json | jq -r ".flags[].flagName"',
  ]);
  command.action(
    runWith<StaleOptions>(async ({ api, out }, options) => {
      const report = await api.staleFlags(options.days);
      if (out.jsonMode) return out.json(report);
      out.line(out.bold(`Flags ready for cleanup: the last ${report.days} days, since ${report.since}`));
      out.line();
      out.table<StaleFlag>(
        [
          { header: 'FLAG', value: (flag) => flag.flagName },
          { header: 'WHY', value: (flag) => REASON_TEXT[flag.reason] },
          { header: 'OWNER', value: (flag) => flag.owner ?? '-' },
          { header: 'LAST EVALUATED', value: (flag) => flag.lastEvaluatedAt ?? 'never' },
          { header: 'EVALUATIONS', value: (flag) => String(flag.evaluations) },
          { header: 'CREATED', value: (flag) => flag.createdAt },
        ],
        report.flags,
        `no stale flags: every flag older than ${report.days} days was evaluated, and not served the same way to everyone, in that time`,
      );
    }),
  );
}
