import type { Flag, FlagLimits, EvaluationResult, UserContext } from '@switchyard/core';
import type { ApiKeyRole } from '@switchyard/protocol';

/** `GET /api/v1/whoami`: the key that signed in, and what the relay needs a console to know. */
export interface WhoAmI {
  key: { id: string; name: string; role: ApiKeyRole; environment?: string };
  relay: {
    environments: string[];
    defaultEnvironment: string;
    /** The limits the relay's validateFlag applies (SWITCHYARD_FLAG_MAX_*), so the console validates alike. */
    flagLimits: FlagLimits;
    /** SWITCHYARD_MAX_PAGE_SIZE: the largest page a list may ask for. */
    maxPageSize: number;
    /** SWITCHYARD_FLAG_CLIENT_VISIBLE_DEFAULT: whether client keys see a flag that does not set clientVisible. */
    clientVisibleByDefault: boolean;
  };
}

/** A flag as the relay stores and answers it. */
export interface StoredFlag extends Flag {
  revision: number;
  createdAt: string;
  updatedAt: string;
  /** Write answers only: the environments the write affected (not part of the flag). */
  affectedEnvironments?: string[];
}

export interface FlagPage {
  flags: StoredFlag[];
  nextCursor?: string;
}

export interface FlagListQuery {
  environment?: string;
  tag?: string;
  text?: string;
  limit?: number;
  cursor?: string;
}

export interface EvaluateRequest {
  flagName: string;
  environment: string;
  userContext: UserContext;
}

/** One result of `POST /api/v1/feature-flags/evaluate` (value null: the caller's default applies). */
export type EvaluateAnswer = Omit<EvaluationResult, 'value'> & { value: EvaluationResult['value'] | null };

export type {
  GradualRolloutView as GradualRolloutStatus,
  SchedulerStatus,
  StaleFlagsReport,
} from '@switchyard/protocol';
