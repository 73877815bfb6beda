import { evaluateFlag } from '@switchyard/core';
import type { RequestHandler } from 'express';
import type { Principal, Route } from '../../http/route.js';
import type { FlagVisibility } from '../flags/flag-environments.js';
import type { RecordedEvaluation } from '../usage/usage-recorder.js';
import type { StreamHub } from '../stream/stream-hub.js';
import { createCors } from './cors.js';
import { OFREP_BASE_PATH, ofrepRoutes } from './ofrep-routes.js';
import { OfrepService, type EvaluationListener, type OfrepFlagSource } from './ofrep-service.js';
import type { OfrepSettings } from './ofrep-settings.js';

/** Where OFREP evaluations are counted (the usage slice's UsageRecorder). */
interface EvaluationRecorder {
  recordEvaluation(environment: string, evaluation: RecordedEvaluation, userId?: string): void;
}

export interface OfrepDeps {
  flags: OfrepFlagSource;
  /** Which flags client keys see. */
  visibility: FlagVisibility;
  settings: OfrepSettings;
  defaultEnvironment: string;
  hub?: StreamHub;
  usage?: EvaluationRecorder;
  /** A stream token for a server key, advertised in its event-stream URL instead of the key. */
  streamToken(principal: Principal): Promise<string>;
}

/** Where the app mounts a handler of this slice. */
interface OfrepMount {
  path: string;
  handler: RequestHandler;
}

export interface Ofrep {
  routes: Route[];
  /** CORS for the OFREP paths and the usage route, mounted before the routes match. */
  mounts: OfrepMount[];
}

/** Pages report usage as well as evaluate: the usage route gets OFREP's CORS too. */
const USAGE_PATH = '/api/v1/usage';

/**
 * Wires the OFREP slice: its routes, and CORS for them and for the usage route pages post to. Each
 * CORS handler is mounted on its own path, so other requests never pass through it. Single-flag evaluations
 * count in analytics like the REST evaluate endpoint's; bulk answers do not, because fetching every
 * value is not using every flag (the web provider reports what the page actually evaluated through
 * `POST /api/v1/usage`).
 */
export function createOfrep(deps: OfrepDeps): Ofrep {
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
  const cors = createCors(deps.settings.corsAllowedOrigins);
  return {
    routes: ofrepRoutes({ ...deps, service }),
    mounts: [
      { path: OFREP_BASE_PATH, handler: cors },
      { path: USAGE_PATH, handler: cors },
    ],
  };
}
