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
export { jsonBytes, splitUsageBatch, usageBatchEntries, type CountSplitter, type UsageBatchBounds } from './usage-batch-split.js';
