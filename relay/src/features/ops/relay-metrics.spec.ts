import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../http/testing/test-relay.js';

/**
 * Every relay metric as the hand-written registry exposed it before prom-client (scraped from a
 * running relay): name, type, help text and label names. Dashboards and alerts depend on all four.
 */
const RELAY_METRICS: Array<[name: string, type: string, help: string, labels: string[]]> = [
  [
    'switchyard_http_requests_total',
    'counter',
    'HTTP requests answered, by route, method and status.',
    ['route', 'method', 'status'],
  ],
  [
    'switchyard_http_request_duration_seconds',
    'histogram',
    'Time to answer HTTP requests, by route and method.',
    ['route', 'method'],
  ],
  [
    'switchyard_evaluations_total',
    'counter',
    'Flag evaluations served by the REST API, by environment and reason.',
    ['environment', 'reason'],
  ],
  ['switchyard_evaluation_errors_total', 'counter', 'Evaluations that ended in an error, by error code.', ['code']],
  [
    'switchyard_store_errors_total',
    'counter',
    'Store operations that failed (not counting not-found and conflicts), by operation and error code.',
    ['operation', 'code'],
  ],
  [
    'switchyard_store_up',
    'gauge',
    '1 while the store answers, 0 while it is known to be down (a probe watches for its return).',
    [],
  ],
  ['switchyard_flags', 'gauge', "Flags in the relay's evaluation cache.", []],
  ['switchyard_flag_cache_revision', 'gauge', 'Highest store revision the evaluation cache has applied.', []],
  ['switchyard_stream_connections', 'gauge', 'Open websocket streams on this relay.', []],
  [
    'switchyard_stream_slow_consumers_closed',
    'gauge',
    'Streams closed with 4008 since start because they buffered more than SWITCHYARD_STREAM_MAX_BUFFERED_BYTES.',
    [],
  ],
  [
    'switchyard_stream_dead_connections_terminated',
    'gauge',
    'Streams terminated since start because they missed a heartbeat pong.',
    [],
  ],
  ['switchyard_sync_revision', 'gauge', 'Highest store revision this relay has applied and pushed.', []],
  [
    'switchyard_sync_store_reachable',
    'gauge',
    '1 when the last poll of the store succeeded, 0 while the store is unreachable (streams and evaluations serve from memory).',
    [],
  ],
  [
    'switchyard_usage_flush_failures_total',
    'counter',
    'Writes of aggregated usage to the store that failed (retried with the next flush).',
    [],
  ],
  [
    'switchyard_usage_unknown_flag_batches_total',
    'counter',
    'Usage batches that named flags the environment does not have (those entries were not counted), by environment.',
    ['environment'],
  ],
  ['switchyard_usage_pending_keys', 'gauge', 'Usage buckets and unique sets awaiting a write to the store.', []],
  [
    'switchyard_connections_refused_total',
    'counter',
    'Connections answered 503 and closed because their address held SWITCHYARD_MAX_CONNECTIONS_PER_ADDRESS already.',
    [],
  ],
  [
    'switchyard_accept_errors_total',
    'counter',
    'Connections dropped at the descriptor limit (code EMFILE) or that failed to be accepted, by error code.',
    ['code'],
  ],
];

/** Some of prom-client's standard process and Node.js metrics. */
const PROCESS_METRICS = [
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'process_start_time_seconds',
  'nodejs_eventloop_lag_seconds',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_heap_size_used_bytes',
  'nodejs_gc_duration_seconds',
  'nodejs_version_info',
];

interface Exposed {
  types: Map<string, string>;
  helps: Map<string, string>;
  /** Label names (without `le`) of each sample, by metric name. */
  labels: Map<string, Set<string>>;
}

function parse(text: string): Exposed {
  const exposed: Exposed = { types: new Map(), helps: new Map(), labels: new Map() };
  for (const line of text.split('\n')) {
    const comment = /^# (HELP|TYPE) (\w+) (.*)$/.exec(line);
    if (comment !== null) {
      (comment[1] === 'HELP' ? exposed.helps : exposed.types).set(comment[2]!, comment[3]!);
      continue;
    }
    const sample = /^(\w+?)(_bucket|_sum|_count)?(?:\{(.*)\})? \S+$/.exec(line);
    if (sample === null) continue;
    const name = exposed.types.has(sample[1]!) ? sample[1]! : `${sample[1]}${sample[2] ?? ''}`;
    const names = [...(sample[3] ?? '').matchAll(/(\w+)="/g)].map((m) => m[1]!).filter((label) => label !== 'le');
    exposed.labels.set(name, new Set([...(exposed.labels.get(name) ?? []), ...names]));
  }
  return exposed;
}

describe('GET /metrics', () => {
  let t: TestRelay;
  let exposed: Exposed;
  beforeAll(async () => {
    t = await startTestRelay();
    await t.call('POST', '/api/v1/feature-flags', { body: { name: 'listed' } });
    await t.call('POST', '/api/v1/feature-flags/evaluate', { body: { flagName: 'listed', userContext: {} } });
    await t.call('POST', '/api/v1/feature-flags/evaluate', { body: { flagName: 'missing', userContext: {} } });
    exposed = parse((await t.call('GET', '/metrics', { key: null })).text);
  });
  afterAll(async () => {
    await t.stop();
  });

  it("exposes exactly the relay's metrics, each with its type and help text", () => {
    const relayNames = [...exposed.types.keys()].filter((name) => name.startsWith('switchyard_'));
    expect(relayNames.sort()).toEqual(RELAY_METRICS.map(([name]) => name).sort());
    for (const [name, type, help] of RELAY_METRICS) {
      expect(exposed.types.get(name), name).toBe(type);
      expect(exposed.helps.get(name), name).toBe(help);
    }
  });

  it('when requests and evaluations were counted, then their samples carry the same label names as before', () => {
    for (const [name, , , labels] of RELAY_METRICS) {
      const seen = exposed.labels.get(name);
      if (seen !== undefined) expect([...seen].sort(), name).toEqual([...labels].sort());
    }
    for (const name of ['switchyard_http_requests_total', 'switchyard_evaluations_total']) {
      expect(exposed.labels.has(name), `${name} has samples`).toBe(true);
    }
    expect(exposed.labels.has('switchyard_evaluation_errors_total')).toBe(true);
  });

  it("exposes the standard process and event-loop metrics beside the relay's", () => {
    for (const name of PROCESS_METRICS) expect(exposed.types.has(name), name).toBe(true);
  });
});
