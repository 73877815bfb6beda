import { defineRoute, type Route } from '../../http/route.js';
import { serviceUnavailable } from '../../http/http-errors.js';
import type { RelayMetrics } from './relay-metrics.js';

export interface OpsDeps {
  metrics: RelayMetrics;
  /** Resolves when the store answers. */
  ping: () => Promise<void>;
  /** The OpenAPI document, built once the route list is complete. */
  openApi: () => unknown;
}

/** Health, readiness, metrics and the API description: public, so probes and scrapers need no key. */
export function opsRoutes(deps: OpsDeps): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/healthz',
      operationId: 'health',
      summary: 'Check the process is up',
      tag: 'Operations',
      access: 'public',
      responses: { 200: { description: '{"status":"ok"}' } },
      handle: () => ({ body: { status: 'ok' } }),
    }),
    defineRoute({
      method: 'get',
      path: '/readyz',
      operationId: 'ready',
      summary: 'Check the store is reachable',
      tag: 'Operations',
      access: 'public',
      responses: { 200: { description: '{"status":"ready"}' }, 503: { description: 'The store does not answer.' } },
      async handle() {
        try {
          await deps.ping();
        } catch {
          throw serviceUnavailable('STORE_UNAVAILABLE', 'the store does not answer');
        }
        return { body: { status: 'ready' } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/metrics',
      operationId: 'metrics',
      summary: 'Read Prometheus metrics',
      tag: 'Operations',
      access: 'public',
      responses: { 200: { description: 'Prometheus text exposition format 0.0.4.', contentType: 'text/plain' } },
      handle: async () => ({ text: await deps.metrics.render(), contentType: deps.metrics.contentType }),
    }),
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      operationId: 'openApi',
      summary: 'Read the OpenAPI document',
      tag: 'Operations',
      access: 'public',
      responses: { 200: { description: 'OpenAPI 3.1, generated from the schemas that validate requests.' } },
      handle: () => ({ body: deps.openApi() }),
    }),
  ];
}
