import type { FlagVisibility } from '../flags/flag-environments.js';
import type { IncomingMessage, Server } from 'node:http';
import { JobRunner } from '../../jobs/job-runner.js';
import type { Store } from '../../store/store.js';
import { GradualScheduler, type SchedulerRunResult } from '../scheduler/gradual-scheduler.js';
import { schedulerStatus, type SchedulerStatus } from '../scheduler/scheduler-status.js';
import type { CallerResolver } from '../../http/caller-resolver.js';
import { attachStreamEndpoint } from '../stream/stream-endpoint.js';
import { StreamHub, type StreamStats } from '../stream/stream-hub.js';
import { FlagMap } from '../flags/flag-map.js';
import { FlagSync, type SyncStatus } from './flag-sync.js';
import type { RealtimeSettings } from './realtime-settings.js';

export interface RealtimeDeps {
  store: Store;
  settings: RealtimeSettings;
  defaultEnvironment: string;
  /** Who opens a stream (the resolver REST and OFREP use). */
  callers: CallerResolver;
  /** Which flags client streams may name. */
  visibility: FlagVisibility;
  /** The relay's flags in memory, which the sync keeps up to date (a new one when absent). */
  flagMap?: FlagMap;
}

export interface Realtime {
  flagMap: FlagMap;
  hub: StreamHub;
  sync: FlagSync;
  /** Serves `GET /api/v1/stream` on this server (call once, before it listens or after). */
  /** Serves the websocket stream on `server`; `addressOf` gives a request's client address (SWITCHYARD_TRUST_PROXY). */
  attach(server: Server, addressOf?: (request: IncomingMessage) => string): void;
  /** Loads the flags (keeps trying in the background if the store is unreachable), starts heartbeats and the scheduler. */
  start(): Promise<void>;
  /** Call after every successful flag write: pushes it without waiting for the next poll. */
  flagWritten(): void;
  /** Runs the gradual-rollout scheduler now (as its cron would). */
  runScheduler(now?: Date): Promise<SchedulerRunResult | undefined>;
  schedulerStatus(now?: Date): SchedulerStatus;
  status(): { sync: SyncStatus; stream: StreamStats };
  /** Stops the scheduler and the sync, closes every stream (1001). */
  stop(): Promise<void>;
}

const SCHEDULER_JOB = 'gradual-rollouts';

/**
 * Push, sync and the scheduler of one relay:
 * store → (poll) → flag map → streams; cron → scheduler → store (conditional writes).
 * Starts even when the store is unreachable: the sync keeps trying, streams wait for the first load.
 */
export function createRealtime(deps: RealtimeDeps): Realtime {
  const flagMap = deps.flagMap ?? new FlagMap();
  const hub = new StreamHub(flagMap, deps.visibility, deps.settings.stream);
  const sync = new FlagSync(
    deps.store.flags,
    flagMap,
    {
      changed: (changes) => hub.publish(changes),
      reloaded: () => hub.reloaded(),
    },
    deps.settings.sync,
  );
  const flagWritten = (): void => void sync.pollNow();
  const scheduler = new GradualScheduler(deps.store, flagWritten, () => flagMap.all());
  const jobs = new JobRunner([
    { name: SCHEDULER_JOB, cron: deps.settings.schedulerCron, run: (now) => scheduler.run(now) },
  ]);
  const endpoints: Array<{ close(): void }> = [];
  return {
    flagMap,
    hub,
    sync,
    flagWritten,
    attach(server, addressOf) {
      endpoints.push(
        attachStreamEndpoint(server, {
          hub,
          callers: deps.callers,
          defaultEnvironment: deps.defaultEnvironment,
          maxPayloadBytes: deps.settings.stream.maxPayloadBytes,
          catchUp: () => sync.pollNow(),
          addressOf,
          catchUpWaitMs: deps.settings.stream.catchUpWaitMs,
        }),
      );
    },
    async start() {
      await sync.start().catch(() => undefined);
      hub.start();
      jobs.start();
    },
    async runScheduler(now) {
      return (await jobs.runNow(SCHEDULER_JOB, now)).result as SchedulerRunResult | undefined;
    },
    schedulerStatus: (now = new Date()) => schedulerStatus(jobs.status(SCHEDULER_JOB), flagMap.all(), now),
    status: () => ({ sync: sync.status(), stream: hub.stats() }),
    async stop() {
      await jobs.stop();
      sync.stop();
      for (const endpoint of endpoints) endpoint.close();
      hub.stop();
    },
  };
}
