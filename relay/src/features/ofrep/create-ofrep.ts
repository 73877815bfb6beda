import { evaluateFlag } from '@switchyard/core';
import type { Router } from 'express';
import type { RecordedEvaluation } from '../usage/usage-recorder.js';
import type { StreamHub } from '../stream/stream-hub.js';
import { createOfrepRouter, type OfrepKey } from './ofrep-routes.js';
import { OfrepService, type EvaluationListener, type OfrepFlagSource } from './ofrep-service.js';
import type { OfrepSettings } from './ofrep-settings.js';

/** Where OFREP evaluations are counted (the usage slice's UsageRecorder). */
export interface EvaluationRecorder {
  recordEvaluation(environment: string, evaluation: RecordedEvaluation, userId?: string): void;
}

export interface OfrepDeps {
  flags: OfrepFlagSource;
  authenticate(secret: string): Promise<OfrepKey | undefined>;
  settings: OfrepSettings;
  defaultEnvironment: string;
  hub?: StreamHub;
  usage?: EvaluationRecorder;
}

/**
 * Wires the OFREP slice. Single-flag evaluations count in analytics like the REST evaluate
 * endpoint's; bulk answers do not, because fetching every value is not using every flag (the
 * web provider reports what the page actually evaluated through `POST /api/v1/usage`).
 */
export function createOfrep(deps: OfrepDeps): Router {
  const usage = deps.usage;
  const onEvaluated: EvaluationListener | undefined = usage
    ? (environment, result, context) =>
        usage.recordEvaluation(
          environment,
          { flagName: result.flagName, variant: result.variant, enabled: result.enabled, errorCode: result.errorCode },
          context.targetingKey,
        )
    : undefined;
  const service = new OfrepService(deps.flags, evaluateFlag, onEvaluated);
  return createOfrepRouter({ ...deps, service });
}
