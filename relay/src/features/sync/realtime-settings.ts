import { validate } from 'node-cron';
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from '../stream/stream-limits.js';
import { DEFAULT_SYNC_OPTIONS, type FlagSyncOptions } from './flag-sync.js';
import { readPositiveIntegers } from '../../config/positive-integers.js';

/**
 * Every setting of push, sync between relays and the gradual-rollout scheduler, with its default.
 * The relay's configuration (relay/src/config) reads them from the environment; docs/protocol.md
 * and docs/scaling.md list them.
 */
export interface RealtimeSettings {
  stream: StreamLimits;
  sync: FlagSyncOptions;
  /** SWITCHYARD_SCHEDULER_CRON: when the gradual-rollout scheduler runs (5 fields, or 6 with seconds first). */
  schedulerCron: string;
}

export const REALTIME_DEFAULTS: RealtimeSettings = {
  stream: DEFAULT_STREAM_LIMITS,
  sync: DEFAULT_SYNC_OPTIONS,
  schedulerCron: '* * * * *',
};

/** SWITCHYARD_STREAM_MAX_PER_KEY: unset, no limit per key (an opt-in). */
export const STREAM_MAX_PER_KEY_VARIABLE = 'SWITCHYARD_STREAM_MAX_PER_KEY';

type StreamLimitName = Exclude<keyof StreamLimits, 'maxPerKey'>;

export const STREAM_ENVIRONMENT_VARIABLES: Record<StreamLimitName, string> = {
  heartbeatIntervalMs: 'SWITCHYARD_STREAM_HEARTBEAT_INTERVAL_MS',
  maxBufferedBytes: 'SWITCHYARD_STREAM_MAX_BUFFERED_BYTES',
  backlogSize: 'SWITCHYARD_STREAM_BACKLOG_SIZE',
  maxConnections: 'SWITCHYARD_STREAM_MAX_CONNECTIONS',
  descriptorHeadroom: 'SWITCHYARD_STREAM_DESCRIPTOR_HEADROOM',
  maxPerAddress: 'SWITCHYARD_STREAM_MAX_PER_ADDRESS',
  maxPayloadBytes: 'SWITCHYARD_STREAM_MAX_PAYLOAD_BYTES',
  catchUpWaitMs: 'SWITCHYARD_STREAM_CATCH_UP_WAIT_MS',
};

export const SYNC_ENVIRONMENT_VARIABLES: Record<keyof FlagSyncOptions, string> = {
  intervalMs: 'SWITCHYARD_SYNC_INTERVAL_MS',
  batchSize: 'SWITCHYARD_SYNC_BATCH_SIZE',
};

export const SCHEDULER_CRON_VARIABLE = 'SWITCHYARD_SCHEDULER_CRON';

/** Reads the settings from environment variables (positive integers, a valid cron), defaults for the rest. */
export function realtimeSettingsFromEnvironment(environment: NodeJS.ProcessEnv): RealtimeSettings {
  const cron = environment[SCHEDULER_CRON_VARIABLE] || REALTIME_DEFAULTS.schedulerCron;
  if (!validate(cron)) {
    throw new Error(
      `${SCHEDULER_CRON_VARIABLE} must be a cron expression (5 fields, or 6 with seconds first), not "${cron}"`,
    );
  }
  return {
    stream: {
      ...DEFAULT_STREAM_LIMITS,
      ...readPositiveIntegers<StreamLimitName>(environment, STREAM_ENVIRONMENT_VARIABLES, DEFAULT_STREAM_LIMITS),
      ...maxPerKeyOf(environment),
    },
    sync: readPositiveIntegers(environment, SYNC_ENVIRONMENT_VARIABLES, DEFAULT_SYNC_OPTIONS),
    schedulerCron: cron,
  };
}

function maxPerKeyOf(environment: NodeJS.ProcessEnv): Pick<StreamLimits, 'maxPerKey'> {
  if (!environment[STREAM_MAX_PER_KEY_VARIABLE]) return {};
  return readPositiveIntegers(environment, { maxPerKey: STREAM_MAX_PER_KEY_VARIABLE }, { maxPerKey: 0 });
}
