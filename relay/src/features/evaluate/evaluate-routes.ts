import { toEvaluationContext } from '@switchyard/core';
import { defineRoute, type Route } from '../../http/route.js';
import { scopedEnvironment } from '../../http/key-scope.js';
import { audienceOf } from '../flags/flag-environments.js';
import { flagNotFound, type FlagsService } from '../flags/flags-service.js';
import type { EvaluateService } from './evaluate-service.js';
import { bulkEvaluationSchema, evaluateBodySchema, evaluationResultSchema } from './evaluate-schemas.js';

export interface EvaluateRouteOptions {
  /** Seconds clients may reuse an answer (Cache-Control max-age); 0: no-store. */
  cacheTtlSeconds: number;
  maxFlagNames: number;
}

/** `POST /api/v1/feature-flags/evaluate`: one flag, several, or every flag of an environment. */
export function evaluateRoutes(
  evaluations: EvaluateService,
  flags: FlagsService,
  options: EvaluateRouteOptions,
): Route[] {
  const cacheControl = options.cacheTtlSeconds > 0 ? `private, max-age=${options.cacheTtlSeconds}` : 'no-store';
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/feature-flags/evaluate',
      operationId: 'evaluateFlags',
      summary: 'Evaluate flags',
      tag: 'Evaluation',
      access: ['admin', 'editor', 'viewer', 'server', 'client'],
      body: evaluateBodySchema(options.maxFlagNames, flags.limits.maxNameLength),
      responses: {
        200: {
          description: 'With flagName: one result. Otherwise {environment, results} keyed by flag name.',
          schema: evaluationResultSchema.or(bulkEvaluationSchema),
        },
      },
      handle({ body, principal }) {
        const request = body ?? {};
        const environment = flags.environmentOf(scopedEnvironment(principal, request.environment), 'environment');
        const context = toEvaluationContext(request.userContext ?? {});
        const headers = { 'cache-control': cacheControl };
        const audience = audienceOf(principal.role);
        if (request.flagName !== undefined) {
          const result = evaluations.evaluateOne(request.flagName, environment, context, audience);
          if (result === undefined) {
            evaluations.notFound(request.flagName, environment);
            throw flagNotFound(request.flagName, environment);
          }
          return { body: result, headers };
        }
        return {
          body: { environment, results: evaluations.evaluateMany(request.flagNames, environment, context, audience) },
          headers,
        };
      },
    }),
  ];
}
