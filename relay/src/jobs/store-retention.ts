import type { Job } from './job-runner.js';
import type { Logger } from '../logging/logger.js';
import type { RetentionCut, Store } from '../store/store.js';

/** How long and how much audit trail and flag history the store keeps; 0 turns a rule off. */
export interface RetentionSettings {
  auditRetentionDays: number;
  auditMaxEntries: number;
  historyRetentionDays: number;
  /** Per flag; the current version and the one before it are kept whatever this says. */
  historyMaxVersions: number;
  retentionCron: string;
}

export const RETENTION_JOB = 'store-retention';

export interface RetentionRunResult {
  auditEntriesDropped: number;
  flagVersionsDropped: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The cut a rule pair gives at `now`: older than `days`, beyond the newest `max` (0: no such rule). */
function retentionCut(days: number, max: number, now: Date): RetentionCut {
  return {
    ...(days > 0 ? { before: new Date(now.getTime() - days * DAY_MS).toISOString() } : {}),
    ...(max > 0 ? { keepNewest: max } : {}),
  };
}

/** Drops audit entries and flag versions past their retention, on both stores alike; logs what it dropped. */
export function storeRetentionJob(store: Store, settings: RetentionSettings, logger: Logger): Job<RetentionRunResult> {
  return {
    name: RETENTION_JOB,
    cron: settings.retentionCron,
    async run(now) {
      const result = {
        auditEntriesDropped: await store.audit.prune(
          retentionCut(settings.auditRetentionDays, settings.auditMaxEntries, now),
        ),
        flagVersionsDropped: await store.flags.pruneHistory(
          retentionCut(settings.historyRetentionDays, settings.historyMaxVersions, now),
        ),
      };
      if (result.auditEntriesDropped + result.flagVersionsDropped > 0) logger.info({ ...result }, 'store retention');
      return result;
    },
  };
}
