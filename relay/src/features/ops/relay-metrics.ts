import { MetricsRegistry, type Counter, type Histogram } from './metrics-registry.js';

/** Request latency buckets, in seconds. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Every metric `GET /metrics` exposes; other slices may register theirs on `registry`. */
export class RelayMetrics {
  readonly registry = new MetricsRegistry();
  readonly httpRequests: Counter;
  readonly httpDuration: Histogram;
  readonly evaluations: Counter;
  readonly evaluationErrors: Counter;
  readonly storeErrors: Counter;

  constructor() {
    this.httpRequests = this.registry.counter(
      'switchyard_http_requests_total',
      'HTTP requests answered, by route, method and status.',
      ['route', 'method', 'status'],
    );
    this.httpDuration = this.registry.histogram(
      'switchyard_http_request_duration_seconds',
      'Time to answer HTTP requests, by route and method.',
      ['route', 'method'],
      LATENCY_BUCKETS,
    );
    this.evaluations = this.registry.counter(
      'switchyard_evaluations_total',
      'Flag evaluations served by the REST API, by environment and reason.',
      ['environment', 'reason'],
    );
    this.evaluationErrors = this.registry.counter(
      'switchyard_evaluation_errors_total',
      'Evaluations that ended in an error, by error code.',
      ['code'],
    );
    this.storeErrors = this.registry.counter(
      'switchyard_store_errors_total',
      'Store operations that failed (not counting not-found and conflicts), by operation and error code.',
      ['operation', 'code'],
    );
  }
}
