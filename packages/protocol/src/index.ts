export type {
  FlagChange,
  HelloMessage,
  SnapshotMessage,
  ChangesMessage,
  FlagsChangedMessage,
  HeartbeatMessage,
  StreamMessage,
  StreamRole,
  StreamCloseCode,
} from './stream-messages.js';
export { STREAM_CLOSE_CODES, STREAM_PROTOCOL_VERSION } from './stream-messages.js';
export type { EvaluateRequest, EvaluateResult, BulkEvaluateResponse } from './evaluation-payloads.js';
export type { UsageBatch, EvaluationCount, EvaluationErrorCount, TrackedEvent } from './usage-payloads.js';
export {
  jsonBytes,
  splitUsageBatch,
  usageBatchEntries,
  type CountSplitter,
  type UsageBatchBounds,
} from './usage-batch-split.js';
export {
  HLL_PRECISION,
  HLL_REGISTERS,
  HLL_RELATIVE_STANDARD_ERROR,
  HyperLogLog,
  hashId,
  type HashedId,
  type RegisterUpdate,
} from './hyperloglog.js';
export {
  UniqueIds,
  encodeUserSketch,
  decodeUserSketch,
  USER_SKETCH_REGISTERS_PATTERN,
  type UserSketch,
} from './unique-ids.js';
export { ServedVariants, type ServedVariant } from './served-variants.js';
export {
  STALE_REASONS,
  type GradualRolloutView,
  type SchedulerRunResult,
  type SchedulerStatus,
  type StaleFlag,
  type StaleFlagsReport,
  type StaleReason,
} from './report-payloads.js';
export { PROVIDER_NAME } from './provider-name.js';
export {
  SwitchyardHttpError,
  SwitchyardTooManyRequestsError,
  SwitchyardTransportError,
  SwitchyardUnauthorizedError,
  transportErrorForStatus,
  type TransportErrorCode,
  type TransportFailureErrorCode,
} from './transport-errors.js';
export { parseRetryAfter } from './retry-after.js';
export { Backoff, type BackoffOptions } from './backoff.js';
export { DisconnectGrace, type DisconnectGraceCallbacks, type DisconnectGraceOptions } from './disconnect-grace.js';
export {
  GRANULARITIES,
  type ExperimentArm,
  type ExperimentReport,
  type ExperimentResults,
  type FlagAnalytics,
  type Granularity,
  type Interval,
  type OutcomeAnalytics,
  type OutcomeByVariant,
  type SampleRatioCheck,
  type SampleSizePlan,
  type SequentialReading,
  type TimeSeriesPoint,
  type VariantAnalytics,
} from './analytics-payloads.js';
export {
  API_KEY_ROLES,
  type ApiKeyRole,
  type ApiKeyView,
  type AuditEntry,
  type AuditListQuery,
  type AuditPage,
  type NewApiKey,
} from './access-payloads.js';
