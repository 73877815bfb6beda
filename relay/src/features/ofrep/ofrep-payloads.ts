import type { JsonValue } from '@switchyard/core';

/** Wire shapes of the OFREP OpenAPI document (/work/shared/ofrep/openapi.yaml, v0.3.0). */

export type OfrepReason = 'STATIC' | 'TARGETING_MATCH' | 'SPLIT' | 'DISABLED' | 'UNKNOWN';
export type OfrepFailureCode = 'PARSE_ERROR' | 'TARGETING_KEY_MISSING' | 'INVALID_CONTEXT' | 'GENERAL';

export type OfrepFlagMetadata = Record<string, boolean | string | number>;

/** `evaluationSuccess`; `value` absent is the document's `codeDefaultFlag`: use the code default. */
export interface OfrepSuccess {
  key: string;
  value?: JsonValue;
  reason: OfrepReason;
  variant?: string;
  metadata?: OfrepFlagMetadata;
}

/** `evaluationFailure`. */
export interface OfrepFailure {
  key: string;
  errorCode: OfrepFailureCode;
  errorDetails?: string;
  metadata?: OfrepFlagMetadata;
}

/** `flagNotFound`. */
export interface OfrepFlagNotFound {
  key: string;
  errorCode: 'FLAG_NOT_FOUND';
  errorDetails?: string;
}

interface OfrepEventStream {
  type: 'sse';
  endpoint: { requestUri: string };
  inactivityDelaySec: number;
}

/** `bulkEvaluationSuccess`. */
export interface OfrepBulkSuccess {
  flags: Array<OfrepSuccess | OfrepFailure>;
  eventStreams?: OfrepEventStream[];
}

/** `bulkEvaluationFailure` (and, with a key, the single-flag 400 `evaluationFailure`). */
export interface OfrepRequestFailure {
  key?: string;
  errorCode: OfrepFailureCode;
  errorDetails: string;
}
