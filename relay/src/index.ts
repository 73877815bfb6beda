export { startRelay, type RunningRelay, type StartOptions } from './main.js';
export { loadConfig, configWith, type RelayConfig, type ConfigSources } from './config/relay-config.js';
export { SETTINGS, LOG_LEVELS, type RelaySettings, type LogLevel } from './config/settings.js';
export { ConfigError } from './config/config-error.js';
export { createApp, type AppDeps } from './http/create-app.js';
export { defineRoute, type Route, type Principal, type Access } from './http/route.js';
export { HttpError, type FieldProblem } from './http/http-errors.js';
export { FlagMap } from './features/flags/flag-map.js';
export { FlagChangeHub, type FlagChangeFeed, type FlagChangeListener } from './features/flags/flag-change-feed.js';
export { createLogger, type Logger, type LogSink } from './logging/logger.js';
export type { Store, StoredFlag, FlagChangeRecord, ApiKeyRole } from './store/store.js';
// The usage pipeline behind `POST /api/v1/usage`, for driving it without HTTP (the usage benchmark does).
export { usageBatchSchema } from './features/usage/usage-batch-schema.js';
export { UsageBackpressureError } from './features/usage/usage-errors.js';
export { UsageRecorder } from './features/usage/usage-recorder.js';
export { USAGE_DEFAULTS, type UsageSettings } from './features/usage/usage-settings.js';
export { UsageMongoStore } from './store/usage/usage-mongo-store.js';
// The stream's default limits (the hardening benchmark sizes its load from them).
export { DEFAULT_STREAM_LIMITS, type StreamLimits } from './features/stream/stream-limits.js';
