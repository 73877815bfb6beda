import { evaluateFlag } from '@switchyard/core';
import type { RequestHandler, Router } from 'express';
import type { FlagVisibility } from '../flags/flag-environments.js';
import type { RecordedEvaluation } from '../usage/usage-recorder.js';
import type { StreamHub } from '../stream/stream-hub.js';
import { createCors } from './cors.js';
import { createOfrepRouter, OFREP_BASE_PATH, type OfrepKey } from './ofrep-routes.js';
import { OfrepService, type EvaluationListener, type OfrepFlagSource } from './ofrep-service.js';
import type { OfrepSettings } from './ofrep-settings.js';

/** Where OFREP evaluations are counted (the usage slice's UsageRecorder). */
export interface EvaluationRecorder {
  recordEvaluation(environment: string, evaluation: RecordedEvaluation, userId?: string): void;
}

export interface OfrepDeps {
  flags: OfrepFlagSource;
  /** Which flags client keys see. */
  visibility: FlagVisibility;
  authenticate(secret: string): Promise<OfrepKey | undefined>;
  settings: OfrepSettings;
  defaultEnvironment: string;
  hub?: StreamHub;
  usage?: EvaluationRecorder;
}

/** Where the app mounts a handler of this slice. */
export interface OfrepMount {
  path: string;
  handler: Router | RequestHandler;
}

/** Pages report usage as well as evaluate: the usage route gets OFREP's CORS too. */
const USAGE_PATH = '/api/v1/usage';

/**
 * Wires the OFREP slice: the OFREP router, and CORS for the usage route pages post to. Each is
 * mounted on its own path, so other requests never pass through them. Single-flag evaluations
 * count in analytics like the REST evaluate endpoint's; bulk answers do not, because fetching every
 * value is not using every flag (the web provider reports what the page actually evaluated through
 * `POST /api/v1/usage`).
 */
export function createOfrep(deps: OfrepDeps): OfrepMount[] {
  const usage = deps.usage;
  const onEvaluated: EvaluationListener | undefined = usage
    ? (environment, result, context) =>
        usage.recordEvaluation(
          environment,
          { flagName: result.flagName, variant: result.variant, enabled: result.enabled, errorCode: result.errorCode },
          context.targetingKey,
        )
    : undefined;
  const service = new OfrepService(deps.flags, deps.visibility, evaluateFlag, onEvaluated);
  return [
    { path: OFREP_BASE_PATH, handler: createOfrepRouter({ ...deps, service }) },
    { path: USAGE_PATH, handler: createCors(deps.settings.corsAllowedOrigins) },
  ];
}
