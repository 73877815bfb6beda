import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Request latency buckets, in seconds. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A gauge whose value is read when scraped (e.g. how many flags the cache holds). */
export function scrapedGauge(registry: Registry, name: string, help: string, read: () => number): Gauge {
  return new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

let processRegistry: Registry | undefined;

/**
 * prom-client's standard process and Node.js metrics (CPU, memory, descriptors, event-loop lag, GC):
 * one set per process, however many relays it runs, so starting a relay adds no second event-loop monitor.
 */
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * Every metric `GET /metrics` exposes (prom-client): the relay's own on `registry`, where other
 * slices register theirs too, followed by the process's.
 */
export class RelayMetrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'switchyard_http_requests_total',
    help: 'HTTP requests answered, by route, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'switchyard_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by route and method.',
    labelNames: ['route', 'method'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly evaluations = new Counter({
    name: 'switchyard_evaluations_total',
    help: 'Flag evaluations served by the REST API, by environment and reason.',
    labelNames: ['environment', 'reason'] as const,
    registers: [this.registry],
  });
  readonly evaluationErrors = new Counter({
    name: 'switchyard_evaluation_errors_total',
    help: 'Evaluations that ended in an error, by error code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly storeErrors = new Counter({
    name: 'switchyard_store_errors_total',
    help: 'Store operations that failed (not counting not-found and conflicts), by operation and error code.',
    labelNames: ['operation', 'code'] as const,
    registers: [this.registry],
  });
  /** The Content-Type of `render()`'s text: Prometheus text format 0.0.4. */
  readonly contentType = this.registry.contentType;

  /** The text `GET /metrics` answers: the relay's metrics, then the process's. */
  async render(): Promise<string> {
    const [relay, process] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return `${relay}${process}`;
  }
}
