import type { Registry } from 'prom-client';
import { scrapedGauge } from '../ops/relay-metrics.js';
import type { Realtime } from './create-realtime.js';

/** Stream and sync figures on `GET /metrics`, read when scraped. */
export function registerRealtimeMetrics(registry: Registry, realtime: Realtime): void {
  const stream = () => realtime.hub.stats();
  scrapedGauge(
    registry,
    'switchyard_stream_connections',
    'Open websocket streams on this relay.',
    () => stream().connections,
  );
  scrapedGauge(
    registry,
    'switchyard_stream_slow_consumers_closed',
    'Streams closed with 4008 since start because they buffered more than SWITCHYARD_STREAM_MAX_BUFFERED_BYTES.',
    () => stream().slowConsumersClosed,
  );
  scrapedGauge(
    registry,
    'switchyard_stream_dead_connections_terminated',
    'Streams terminated since start because they missed a heartbeat pong.',
    () => stream().deadConnectionsTerminated,
  );
  scrapedGauge(
    registry,
    'switchyard_sync_revision',
    'Highest store revision this relay has applied and pushed.',
    () => realtime.sync.status().revision,
  );
  scrapedGauge(
    registry,
    'switchyard_sync_store_reachable',
    '1 when the last poll of the store succeeded, 0 while the store is unreachable (streams and evaluations serve from memory).',
    () => (realtime.sync.status().storeReachable ? 1 : 0),
  );
}
