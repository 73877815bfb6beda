import type { Logger } from '../logging/logger.js';
import type { Store } from '../store/store.js';
import type { Job } from './job-runner.js';
import { storeRetentionJob, type RetentionSettings } from './store-retention.js';

/** The gradual-rollout scheduler's job (its status is `GET /api/v1/scheduler`). */
export const SCHEDULER_JOB = 'gradual-rollouts';

/** What the relay's jobs run, and how often (each period is a setting: docs/configuration.md). */
export interface RelayJobDeps {
  /** Raises the gradual rollouts that are due (GradualScheduler). */
  scheduler: { run(now: Date): Promise<unknown> };
  /** Reads the store's change log into the flag map (FlagSync). */
  sync: { pollNow(): Promise<void> };
  /** Pings every stream, ends those that missed the last pong (StreamHub). */
  streams: { heartbeat(): void };
  /** Writes aggregated usage, then applies retention (UsageRecorder). */
  usage: { flushOnSchedule(): Promise<void> };
  /** While the store is known to be down, pings it to learn when it is back (StoreHealth). */
  storeHealth: { probe(): Promise<void> };
  /** Where retention drops old audit entries and flag versions, by these rules (SWITCHYARD_RETENTION_CRON among them). */
  store: Store;
  retention: RetentionSettings;
  logger: Logger;
  periods: {
    /** SWITCHYARD_SCHEDULER_CRON */
    schedulerCron: string;
    /** SWITCHYARD_SYNC_INTERVAL_MS */
    syncIntervalMs: number;
    /** SWITCHYARD_STREAM_HEARTBEAT_INTERVAL_MS */
    heartbeatIntervalMs: number;
    /** SWITCHYARD_USAGE_FLUSH_INTERVAL_MS */
    usageFlushIntervalMs: number;
    /** SWITCHYARD_STORE_PROBE_INTERVAL_MS */
    storeProbeIntervalMs: number;
  };
}

/** Every periodic job of the relay, in one list: nothing else in the relay repeats on a timer. */
export function relayJobs(deps: RelayJobDeps): Job[] {
  const { periods } = deps;
  return [
    { name: SCHEDULER_JOB, cron: periods.schedulerCron, run: (now) => deps.scheduler.run(now) },
    { name: 'flag-sync', everyMs: periods.syncIntervalMs, run: () => deps.sync.pollNow() },
    { name: 'stream-heartbeats', everyMs: periods.heartbeatIntervalMs, run: async () => deps.streams.heartbeat() },
    { name: 'usage-flush', everyMs: periods.usageFlushIntervalMs, run: () => deps.usage.flushOnSchedule() },
    { name: 'store-probe', everyMs: periods.storeProbeIntervalMs, run: () => deps.storeHealth.probe() },
    storeRetentionJob(deps.store, deps.retention, deps.logger),
  ];
}
