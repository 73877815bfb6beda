import type { Command } from 'commander';
import { clientCommand, type ConnectionOptions, ENV_SHOWN, finishClientCommand, runWith } from '../cli-context.js';
import { UsageError } from '../cli-errors.js';
import { parsePositiveInt } from '../flag-input.js';
import type { AuditRecord } from '../switchyard-api.js';

interface AuditOptions extends ConnectionOptions {
  name?: string;
  since?: string;
  limit?: number;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

export function registerAuditCommand(program: Command): void {
  const command = clientCommand(program, 'audit', { env: ENV_SHOWN })
    .description('show who changed what and when, newest first')
    .option('--name <name>', 'only changes to this flag')
    .option('--since <when>', 'only changes after this time: ISO 8601, or a duration ago such as 30m, 24h, 7d')
    .option('--limit <n>', 'at most this many entries', parsePositiveInt);
  finishClientCommand(command, [
    'switchyard audit',
    'switchyard audit --name my-feature --since 7d',
    'switchyard audit --since 2026-01-01T00:00:00Z --json',
  ]);
  command.action(
    runWith<AuditOptions>(async ({ api, out, env }, options) => {
      const since = options.since === undefined ? undefined : sinceTime(options.since);
      const all = await api.audit({ flag: options.name, since, limit: options.limit });
      const entries = env ? all.filter((entry) => entry.environment === undefined || entry.environment === env) : all;
      if (out.jsonMode) return out.json(entries);
      out.table<AuditRecord>(
        [
          { header: 'AT', value: (entry) => entry.at },
          { header: 'ACTOR', value: (entry) => entry.actor },
          // The key's role and id tell apart keys sharing a name; "-" is the relay itself (or an entry older than these fields).
          {
            header: 'KEY',
            value: (entry) => (entry.actorKeyId === undefined ? '-' : `${entry.actorRole ?? '-'} ${entry.actorKeyId}`),
          },
          { header: 'ACTION', value: (entry) => entry.action },
          { header: 'FLAG', value: (entry) => entry.flagName ?? '-' },
          { header: 'ENVIRONMENT', value: (entry) => entry.environment ?? '-' },
        ],
        entries,
        'no audit entries',
      );
    }),
  );
}

/** "24h" → the ISO time 24 hours ago; an ISO time stays as given. */
export function sinceTime(text: string, now = Date.now()): string {
  const relative = /^(\d+)([mhd])$/.exec(text.trim());
  if (relative) return new Date(now - Number(relative[1]) * (UNIT_MS[relative[2] ?? 'd'] ?? 0)).toISOString();
  const date = new Date(text);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(`--since "${text}" is neither an ISO 8601 time nor a duration like 24h or 7d`);
  return date.toISOString();
}
