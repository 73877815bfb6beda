export type { FlagChange, SnapshotMessage, ChangesMessage, FlagsChangedMessage, StreamMessage } from './stream-messages.js';
export { STREAM_CLOSE_CODES } from './stream-messages.js';
export type { EvaluateRequest, EvaluateResult, BulkEvaluateResponse } from './evaluation-payloads.js';
export type { UsageBatch, EvaluationCount, EvaluationErrorCount, TrackedEvent } from './usage-payloads.js';
