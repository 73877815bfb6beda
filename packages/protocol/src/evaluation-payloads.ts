import type { ErrorCode, JsonValue, Reason, UserContext } from '@switchyard/core';

/** `POST /api/v1/feature-flags/evaluate`: one flag (`flagName`), several (`flagNames`) or, with neither, all. */
export interface EvaluateRequest {
  flagName?: string;
  flagNames?: string[];
  userContext?: UserContext;
  environment?: string;
}

export interface EvaluateResult {
  flagName: string;
  value: JsonValue | null;
  variant?: string;
  enabled: boolean;
  reason: Reason;
  errorCode?: ErrorCode;
  errorMessage?: string;
}

export interface BulkEvaluateResponse {
  environment: string;
  results: Record<string, EvaluateResult>;
}
