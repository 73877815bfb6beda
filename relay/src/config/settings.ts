import { FILE_STORE_DEFAULTS } from '../store/file/file-store.js';
import { MONGO_STORE_DEFAULTS } from '../store/mongo/mongo-store.js';
import type { StoreSettings } from '../store/create-store.js';
import { ConfigError } from './config-error.js';
import type { SettingOf } from './setting-definition.js';
import { FLAG_LIMIT_SETTINGS, type FlagLimitSettings } from './flag-limit-settings.js';
import { wholeNumber } from './whole-number.js';
import { validate as validCron } from 'node-cron';
import type { RetentionSettings } from '../jobs/store-retention.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The relay's own settings (the stream, sync, scheduler and usage slices keep theirs beside their code). */
export interface RelaySettings extends FlagLimitSettings, StoreSettings, RetentionSettings {
  port: number;
  host: string;
  adminKey: string | undefined;
  defaultEnvironment: string;
  environments: string[];
  requireWriteVersion: boolean;
  clientVisibleByDefault: boolean;
  analyticsEnabled: boolean;
  consoleEnabled: boolean;
  consoleDir: string | undefined;
  cacheTtlSeconds: number;
  maxBodyBytes: number;
  maxJsonDepth: number;
  maxEvaluateFlags: number;
  defaultPageSize: number;
  maxPageSize: number;
  apiKeyCacheSeconds: number;
  apiKeyCacheMaxKeys: number;
  apiKeyLastUsedIntervalSeconds: number;
  storeProbeIntervalMs: number;
  clientRateLimitPerMinute: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  maxConnectionsPerAddress: number;
  trustProxy: boolean | number | string;
  shutdownGraceSeconds: number;
  /** Relay processes serving one port (`switchyard serve` only); undefined: one per core. */
  workers: number | undefined;
  workerRestartLimit: number;
  logLevel: LogLevel;
}

/** One setting of the relay: where it is read from, what it defaults to, how its text is checked. */
export type SettingDefinition<K extends keyof RelaySettings = keyof RelaySettings> = SettingOf<K, RelaySettings[K]>;

const RETENTION_DEFAULTS: RetentionSettings = {
  auditRetentionDays: 365,
  auditMaxEntries: 20_000,
  historyRetentionDays: 365,
  historyMaxVersions: 100,
  retentionCron: '23 * * * *',
};

const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

function nonEmpty(text: string, source: string): string {
  if (text.trim() === '') throw new ConfigError(source, `${source} must not be empty`);
  return text.trim();
}

function optional(text: string): string | undefined {
  return text.trim() === '' ? undefined : text.trim();
}

function environmentName(text: string, source: string): string {
  const name = text.trim();
  if (!ENVIRONMENT_NAME.test(name)) {
    throw new ConfigError(
      source,
      `${source} must be an environment name (letters, digits, "_" and "-"), not "${text}"`,
    );
  }
  return name;
}

function environmentList(text: string, source: string): string[] {
  const names = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (names.length === 0) throw new ConfigError(source, `${source} must list at least one environment`);
  const checked = names.map((name) => environmentName(name, source));
  return [...new Set(checked)];
}

function boolean(text: string, source: string): boolean {
  const value = text.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(source, `${source} must be true or false, not "${text}"`);
}

function mongodbUri(text: string, source: string): string | undefined {
  const uri = optional(text);
  if (uri !== undefined && !/^mongodb(\+srv)?:\/\//.test(uri)) {
    throw new ConfigError(source, `${source} must start with mongodb:// or mongodb+srv://`);
  }
  return uri;
}

/** MongoDB database names: none of `/ \\ . " $` or spaces, at most 63 bytes. */
function databaseName(text: string, source: string): string | undefined {
  const name = optional(text);
  if (name !== undefined && (!/^[^/\\. "$\0]+$/.test(name) || Buffer.byteLength(name) > 63)) {
    throw new ConfigError(
      source,
      `${source} must be a MongoDB database name (at most 63 bytes, none of / \\ . " $ or spaces), not "${text}"`,
    );
  }
  return name;
}

/** Express's `trust proxy`: true/false, a number of proxy hops, or addresses and subnets (`loopback`, `10.0.0.0/8`, …). */
function trustProxy(text: string, source: string): boolean | number | string {
  const value = text.trim();
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  if (/^\d{1,2}$/.test(value)) return Number(value);
  if (!/^[\w.:/,\s-]+$/.test(value) || value === '') {
    throw new ConfigError(
      source,
      `${source} must be true, false, a number of proxies, or addresses/subnets such as "loopback, 10.0.0.0/8", not "${text}"`,
    );
  }
  return value;
}

function logLevel(text: string, source: string): LogLevel {
  const value = text.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new ConfigError(source, `${source} must be one of ${LOG_LEVELS.join(', ')}, not "${text}"`);
  }
  return value as LogLevel;
}

function cronExpression(text: string, source: string): string {
  if (!validCron(text.trim())) {
    throw new ConfigError(
      source,
      `${source} must be a cron expression (5 fields, or 6 with seconds first), not "${text}"`,
    );
  }
  return text.trim();
}

function define<K extends keyof RelaySettings>(definition: SettingDefinition<K>): SettingDefinition<K> {
  return definition;
}

/** Every relay setting, in the order docs/configuration.md and `switchyard serve --help` list them. */
export const SETTINGS = [
  define({
    key: 'port',
    env: 'SWITCHYARD_PORT',
    flag: '--port',
    valueName: 'port',
    default: 8080,
    parse: wholeNumber(0, 65535),
    description: 'TCP port the relay listens on (0 picks a free one).',
  }),
  define({
    key: 'host',
    env: 'SWITCHYARD_HOST',
    flag: '--host',
    valueName: 'host',
    default: '0.0.0.0',
    parse: nonEmpty,
    description: 'Interface the relay listens on (127.0.0.1 for this machine only).',
  }),
  define({
    key: 'dataDir',
    env: 'SWITCHYARD_DATA_DIR',
    flag: '--data-dir',
    valueName: 'path',
    default: './.switchyard',
    parse: nonEmpty,
    description: 'Directory of the embedded store, and of the generated admin-key file (also with MongoDB).',
  }),
  define({
    key: 'mongodbUri',
    env: 'SWITCHYARD_MONGODB_URI',
    flag: '--mongodb-uri',
    valueName: 'uri',
    default: undefined,
    parse: mongodbUri,
    secret: true,
    description: 'Store flags, keys and audit in MongoDB (or FerretDB) instead of the embedded store.',
  }),
  define({
    key: 'mongodbDatabase',
    env: 'SWITCHYARD_MONGODB_DATABASE',
    flag: '--mongodb-database',
    valueName: 'name',
    default: undefined,
    parse: databaseName,
    description: 'MongoDB database to use; unset: the database named in SWITCHYARD_MONGODB_URI, else `switchyard`.',
  }),
  define({
    key: 'changeLogRetention',
    env: 'SWITCHYARD_CHANGE_LOG_RETENTION',
    flag: '--change-log-retention',
    valueName: 'entries',
    default: MONGO_STORE_DEFAULTS.changeLogRetention,
    parse: wholeNumber(100, 10_000_000),
    description:
      'Flag changes the store keeps for relays and streams catching up; one further behind reloads every flag.',
  }),
  define({
    key: 'compactionThresholdBytes',
    env: 'SWITCHYARD_COMPACTION_THRESHOLD_BYTES',
    flag: '--compaction-threshold-bytes',
    valueName: 'bytes',
    default: FILE_STORE_DEFAULTS.compactionThresholdBytes,
    parse: wholeNumber(64 * 1024, 1024 * 1024 * 1024),
    description:
      'Embedded store: journal size past which the state is written to the snapshot file and the journal emptied.',
  }),
  define({
    key: 'auditRetentionDays',
    env: 'SWITCHYARD_AUDIT_RETENTION_DAYS',
    flag: '--audit-retention-days',
    valueName: 'days',
    default: RETENTION_DEFAULTS.auditRetentionDays,
    parse: wholeNumber(0, 36_500),
    description: 'Audit entries older than this are dropped by the retention job (0: kept whatever their age).',
  }),
  define({
    key: 'auditMaxEntries',
    env: 'SWITCHYARD_AUDIT_MAX_ENTRIES',
    flag: '--audit-max-entries',
    valueName: 'entries',
    default: RETENTION_DEFAULTS.auditMaxEntries,
    parse: wholeNumber(0, 1_000_000_000),
    description: 'Audit entries kept, the newest; older ones are dropped by the retention job (0: no limit).',
  }),
  define({
    key: 'historyRetentionDays',
    env: 'SWITCHYARD_HISTORY_RETENTION_DAYS',
    flag: '--history-retention-days',
    valueName: 'days',
    default: RETENTION_DEFAULTS.historyRetentionDays,
    parse: wholeNumber(0, 36_500),
    description:
      "Flag versions older than this are dropped from the flag's history by the retention job, except the current version and the one before it (0: kept whatever their age).",
  }),
  define({
    key: 'historyMaxVersions',
    env: 'SWITCHYARD_HISTORY_MAX_VERSIONS',
    flag: '--history-max-versions',
    valueName: 'versions',
    default: RETENTION_DEFAULTS.historyMaxVersions,
    parse: wholeNumber(0, 1_000_000),
    description:
      "Versions kept in each flag's history, the newest; the current version and the one before it always stay (0: no limit).",
  }),
  define({
    key: 'retentionCron',
    env: 'SWITCHYARD_RETENTION_CRON',
    flag: '--retention-cron',
    valueName: 'cron',
    default: RETENTION_DEFAULTS.retentionCron,
    parse: cronExpression,
    description: 'When the retention job drops old audit entries and flag versions (it also runs once at start).',
  }),
  define({
    key: 'mongodbServerSelectionTimeoutMs',
    env: 'SWITCHYARD_MONGODB_SERVER_SELECTION_TIMEOUT_MS',
    flag: '--mongodb-server-selection-timeout-ms',
    valueName: 'ms',
    default: MONGO_STORE_DEFAULTS.serverSelectionTimeoutMs,
    parse: wholeNumber(100, 300_000),
    description:
      'MongoDB: how long an operation waits for a reachable server before it fails (503; at start: the relay does not start).',
  }),
  define({
    key: 'mongodbGapSettleMs',
    env: 'SWITCHYARD_MONGODB_GAP_SETTLE_MS',
    flag: '--mongodb-gap-settle-ms',
    valueName: 'ms',
    default: MONGO_STORE_DEFAULTS.gapSettleMs,
    parse: wholeNumber(1_000, 600_000),
    description:
      'MongoDB: how long a revision reserved by a writer that never finished may hold followers back; a writer slower than half of it gives up (503).',
  }),
  define({
    key: 'adminKey',
    env: 'SWITCHYARD_ADMIN_KEY',
    flag: '--admin-key',
    valueName: 'key',
    default: undefined,
    parse: optional,
    secret: true,
    description:
      'An admin API key to accept (created on start if the store lacks it). Without it, the first start generates one.',
  }),
  define({
    key: 'defaultEnvironment',
    env: 'SWITCHYARD_DEFAULT_ENVIRONMENT',
    flag: '--default-environment',
    valueName: 'name',
    default: 'production',
    parse: environmentName,
    description:
      "Environment used by evaluations, PATCH and listings that name none (the seed's feature_flags.default_environment).",
  }),
  define({
    key: 'environments',
    env: 'SWITCHYARD_ENVIRONMENTS',
    flag: '--environments',
    valueName: 'list',
    default: ['development', 'staging', 'production'],
    parse: environmentList,
    description:
      'Comma-separated environments the relay knows; requests naming another get 400. Flags may also use `*`.',
  }),
  define({
    key: 'requireWriteVersion',
    env: 'SWITCHYARD_REQUIRE_WRITE_VERSION',
    flag: '--require-write-version',
    valueName: 'true|false',
    default: false,
    parse: boolean,
    description:
      'Flag writes (PUT, PATCH, DELETE, rollback) must name the version they read (If-Match or a version field): without one they get 428 unless ?force=true. Off: they apply to the current version.',
  }),
  define({
    key: 'clientVisibleByDefault',
    env: 'SWITCHYARD_FLAG_CLIENT_VISIBLE_DEFAULT',
    flag: '--flag-client-visible-default',
    valueName: 'true|false',
    default: true,
    parse: boolean,
    description:
      'Whether client keys (browsers) see a flag that does not set clientVisible. false: flags are server-only unless they say clientVisible: true.',
  }),
  define({
    key: 'analyticsEnabled',
    env: 'SWITCHYARD_ANALYTICS_ENABLED',
    flag: '--analytics-enabled',
    valueName: 'true|false',
    default: true,
    parse: boolean,
    description: "Accept usage reports and answer analytics queries (the seed's feature_flags.enable_analytics).",
  }),
  define({
    key: 'cacheTtlSeconds',
    env: 'SWITCHYARD_CACHE_TTL_SECONDS',
    flag: '--cache-ttl-seconds',
    valueName: 'seconds',
    default: 300,
    parse: wholeNumber(0, 86_400),
    description:
      "How long clients may reuse an evaluation answer: the `Cache-Control: private, max-age` of evaluate answers (0: no-store). The seed's feature_flags.cache_ttl.",
  }),
  define({
    key: 'maxBodyBytes',
    env: 'SWITCHYARD_MAX_BODY_BYTES',
    flag: '--max-body-bytes',
    valueName: 'bytes',
    default: 1024 * 1024,
    parse: wholeNumber(1024, 64 * 1024 * 1024),
    description: 'Largest JSON request body; larger ones get 413.',
  }),
  define({
    key: 'maxJsonDepth',
    env: 'SWITCHYARD_MAX_JSON_DEPTH',
    flag: '--max-json-depth',
    valueName: 'levels',
    default: 64,
    parse: wholeNumber(2, 1000),
    description: 'Deepest nesting of objects and arrays accepted in a request body; deeper gets 400.',
  }),
  define({
    key: 'maxEvaluateFlags',
    env: 'SWITCHYARD_MAX_EVALUATE_FLAGS',
    flag: '--max-evaluate-flags',
    valueName: 'count',
    default: 1000,
    parse: wholeNumber(1, 100_000),
    description: 'Most `flagNames` one evaluate request may list; more gets 400.',
  }),
  define({
    key: 'defaultPageSize',
    env: 'SWITCHYARD_DEFAULT_PAGE_SIZE',
    flag: '--default-page-size',
    valueName: 'count',
    default: 100,
    parse: wholeNumber(1, 10_000),
    description: 'Items per page of listings when the request names no `limit`.',
  }),
  define({
    key: 'maxPageSize',
    env: 'SWITCHYARD_MAX_PAGE_SIZE',
    flag: '--max-page-size',
    valueName: 'count',
    default: 1000,
    parse: wholeNumber(1, 10_000),
    description: 'Largest `limit` a listing accepts; more gets 400.',
  }),
  define({
    key: 'apiKeyCacheSeconds',
    env: 'SWITCHYARD_API_KEY_CACHE_SECONDS',
    flag: '--api-key-cache-seconds',
    valueName: 'seconds',
    default: 10,
    parse: wholeNumber(0, 3600),
    description:
      'How long a relay trusts a key it looked up; a key revoked on another relay sharing the database stops working within this time (at once on the relay that revoked it).',
  }),
  define({
    key: 'apiKeyCacheMaxKeys',
    env: 'SWITCHYARD_API_KEY_CACHE_MAX_KEYS',
    flag: '--api-key-cache-max-keys',
    valueName: 'count',
    default: 10_000,
    parse: wholeNumber(1, 1_000_000),
    description:
      'Most looked-up keys a relay keeps in memory; when full, the cache starts over (keys are then looked up again).',
  }),
  define({
    key: 'apiKeyLastUsedIntervalSeconds',
    env: 'SWITCHYARD_API_KEY_LAST_USED_INTERVAL_SECONDS',
    flag: '--api-key-last-used-interval-seconds',
    valueName: 'seconds',
    default: 60,
    parse: wholeNumber(1, 86_400),
    description:
      "A key's lastUsedAt is written at most this often per key and relay, so requests do not each cost a store write.",
  }),
  define({
    key: 'storeProbeIntervalMs',
    env: 'SWITCHYARD_STORE_PROBE_INTERVAL_MS',
    flag: '--store-probe-interval-ms',
    valueName: 'ms',
    default: 1000,
    parse: wholeNumber(100, 60_000),
    description:
      'While the store is known to be down (an operation failed as unreachable), how often it is pinged to notice its return; meanwhile keys are checked from memory at once.',
  }),
  define({
    key: 'clientRateLimitPerMinute',
    env: 'SWITCHYARD_CLIENT_RATE_LIMIT_PER_MINUTE',
    flag: '--client-rate-limit-per-minute',
    valueName: 'count',
    default: 600,
    parse: wholeNumber(1, 1_000_000),
    description:
      'Requests per minute one client key may make from one client address to the routes client keys can reach (evaluate, usage, whoami) before 429 with Retry-After; OFREP has its own limit. Other keys are not limited.',
  }),
  define({
    key: 'headersTimeoutMs',
    env: 'SWITCHYARD_HEADERS_TIMEOUT_MS',
    flag: '--headers-timeout-ms',
    valueName: 'ms',
    default: 10_000,
    parse: wholeNumber(100, 600_000),
    description:
      "How long a client may take to send a request's headers before the relay answers 408 and closes the connection (slow-header clients cannot hold sockets).",
  }),
  define({
    key: 'requestTimeoutMs',
    env: 'SWITCHYARD_REQUEST_TIMEOUT_MS',
    flag: '--request-timeout-ms',
    valueName: 'ms',
    default: 30_000,
    parse: wholeNumber(100, 3_600_000),
    description:
      'How long a client may take to send a whole request (headers and body) before 408; answers that stream (event streams, websockets) are not limited by it.',
  }),
  define({
    key: 'maxConnectionsPerAddress',
    env: 'SWITCHYARD_MAX_CONNECTIONS_PER_ADDRESS',
    flag: '--max-connections-per-address',
    valueName: 'count',
    default: 1000,
    parse: wholeNumber(0, 1_000_000),
    description:
      "Most open connections (streams included) from one client address; more are answered 503 with Retry-After and closed. The socket's address: behind a proxy, raise it above the proxy's connections to the relay, or 0 (no limit).",
  }),
  define({
    key: 'trustProxy',
    env: 'SWITCHYARD_TRUST_PROXY',
    flag: '--trust-proxy',
    valueName: 'proxies',
    default: false,
    parse: trustProxy,
    description:
      "Which proxies in front of the relay to believe about the client address (X-Forwarded-For), as Express's `trust proxy`: false, true, a hop count, or addresses/subnets. The OFREP rate limit counts per client address.",
  }),
  define({
    key: 'shutdownGraceSeconds',
    env: 'SWITCHYARD_SHUTDOWN_GRACE_SECONDS',
    flag: '--shutdown-grace-seconds',
    valueName: 'seconds',
    default: 5,
    parse: wholeNumber(0, 600),
    description:
      'On SIGTERM/SIGINT, how long requests in progress may take to finish before their connections are closed.',
  }),
  define({
    key: 'workers',
    env: 'SWITCHYARD_WORKERS',
    flag: '--workers',
    valueName: 'count',
    default: undefined,
    parse: wholeNumber(1, 1024),
    description:
      'Relay processes sharing the port (Node cluster, docs/scaling.md); unset: one per core (os.availableParallelism()). 1: a single process, no cluster.',
  }),
  define({
    key: 'workerRestartLimit',
    env: 'SWITCHYARD_WORKER_RESTART_LIMIT',
    flag: '--worker-restart-limit',
    valueName: 'count',
    default: 5,
    parse: wholeNumber(0, 1000),
    description:
      'With several workers: crashed workers restarted within any 60 s; one more crash stops the relay with exit code 1.',
  }),
  ...FLAG_LIMIT_SETTINGS,
  define({
    key: 'consoleEnabled',
    env: 'SWITCHYARD_CONSOLE_ENABLED',
    flag: '--console-enabled',
    valueName: 'true|false',
    default: true,
    parse: boolean,
    description: 'Serve the web console at / (its built files; the API answers as before either way).',
  }),
  define({
    key: 'consoleDir',
    env: 'SWITCHYARD_CONSOLE_DIR',
    flag: '--console-dir',
    valueName: 'path',
    default: undefined,
    parse: optional,
    description:
      "Directory of the console's built files; unset: dist/ of the @switchyard/console package installed with the relay.",
  }),
  define({
    key: 'logLevel',
    env: 'SWITCHYARD_LOG_LEVEL',
    flag: '--log-level',
    valueName: 'level',
    default: 'info',
    parse: logLevel,
    description: 'debug, info, warn, error or silent. debug logs why each evaluation came out as it did.',
  }),
] as const satisfies readonly SettingDefinition[];
