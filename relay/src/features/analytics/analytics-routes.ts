import { HttpError } from '../../http/http-errors.js';
import { defineRoute, type Route } from '../../http/route.js';
import type { UsageSettings } from '../usage/usage-settings.js';
import { analyticsDisabled } from '../usage/usage-routes.js';
import { ExperimentNeedsVariantsError, UnknownControlVariantError } from './analytics-errors.js';
import {
  analyticsQuerySchema,
  experimentQuerySchema,
  experimentReportSchema,
  flagAnalyticsSchema,
  flagNameParams,
  staleFlagsQuerySchema,
  staleFlagsReportSchema,
} from './analytics-schemas.js';
import type { AnalyticsService } from './analytics-service.js';
import { staleFlagsReport, type StaleFlagsDependencies } from './stale-flags.js';

export interface AnalyticsRouteDeps {
  analytics: AnalyticsService;
  staleFlags: StaleFlagsDependencies;
  settings: UsageSettings;
  analyticsEnabled: boolean;
  /** SWITCHYARD_FLAG_MAX_NAME_LENGTH. */
  maxFlagNameLength: number;
  /** Checks an environment name (400 when the relay does not know it). */
  checkEnvironment(environment: string, path: string): void;
}

const READERS = ['admin', 'editor', 'viewer'] as const;

/** Analytics, A/B results and the stale-flag report; docs/analytics.md explains every figure. */
export function analyticsRoutes(deps: AnalyticsRouteDeps): Route[] {
  const maxDays = deps.settings.analyticsMaxDays;
  const nameParams = flagNameParams(deps.maxFlagNameLength);
  /** Refuses while analytics is off, and an `environment` the relay does not serve. */
  const enabled = (environment?: string): void => {
    if (!deps.analyticsEnabled) throw analyticsDisabled();
    if (environment !== undefined) deps.checkEnvironment(environment, 'query.environment');
  };
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/feature-flags/{name}/analytics',
      operationId: 'getFlagAnalytics',
      summary: "Get a flag's usage analytics",
      tag: 'Analytics',
      access: READERS,
      params: nameParams,
      query: analyticsQuerySchema(maxDays),
      responses: {
        200: { description: 'Evaluations, users, variants, outcomes and a time series.', schema: flagAnalyticsSchema },
      },
      async handle({ params, query }) {
        enabled(query.environment);
        return { body: await deps.analytics.flagAnalytics(params.name, query) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/feature-flags/{name}/experiment',
      operationId: 'getExperimentResults',
      summary: "Get a flag's A/B test results",
      tag: 'Analytics',
      access: READERS,
      params: nameParams,
      query: experimentQuerySchema(maxDays),
      responses: {
        200: {
          description: 'Per variant against the control: conversion, interval, uplift, p-value; the SRM check.',
          schema: experimentReportSchema,
        },
      },
      async handle({ params, query }) {
        enabled(query.environment);
        try {
          return { body: await deps.analytics.experiment(params.name, query) };
        } catch (error) {
          if (error instanceof ExperimentNeedsVariantsError || error instanceof UnknownControlVariantError) {
            throw new HttpError(
              error.status,
              error.code,
              error.status === 400 ? 'Invalid input' : 'Unprocessable content',
              error.message,
              error instanceof UnknownControlVariantError
                ? [{ path: 'query.control', expected: `one of ${error.variants.join(', ')}`, message: error.message }]
                : [],
            );
          }
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/reports/stale-flags',
      operationId: 'getStaleFlags',
      summary: 'List flags ready for cleanup',
      tag: 'Analytics',
      access: READERS,
      query: staleFlagsQuerySchema(maxDays),
      responses: {
        200: {
          description: 'Flags not evaluated, or served the same to everyone, for the last `days` days, with owners.',
          schema: staleFlagsReportSchema,
        },
      },
      async handle({ query }) {
        enabled();
        return { body: await staleFlagsReport(deps.staleFlags, query.days) };
      },
    }),
  ];
}
