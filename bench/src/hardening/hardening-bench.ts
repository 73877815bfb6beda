import { randomBytes } from 'node:crypto';
import { markdownTable } from '../measure.js';
import { measureClientRateLimit } from './client-rate-limit.js';
import { measureSlowHeaders } from './slow-headers.js';
import { measureStoreOutage } from './store-outage.js';
import { measureStreamCap } from './stream-cap.js';
import { measureStreamUrls } from './stream-urls.js';

/**
 * Issue 17's findings re-measured, each against its own relay process with the default settings
 * unless said: stream caps below the descriptor limit (item 1), key checks and stream upgrades
 * while the database is down (item 4), the client-key limit on evaluate (item 5), slow-header
 * sockets (item 6), and the event-stream URL given to a server key (item 7).
 */
export const HARDENING_BENCH_PACKAGES = ['ws'];

export async function runHardeningBench(): Promise<string> {
  const adminKey = `sy_admin_${randomBytes(16).toString('hex')}`;
  const cap = await measureStreamCap(adminKey);
  const outage = await measureStoreOutage(adminKey);
  const rate = await measureClientRateLimit(adminKey);
  const slow = await measureSlowHeaders(adminKey);
  const urls = await measureStreamUrls(adminKey);
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  return markdownTable(
    ['item', 'what is measured', 'result'],
    [
      [
        '1',
        `websocket streams (one client key, one address) on a relay with \`ulimit -n ${cap.descriptorLimit}\``,
        `${cap.opened.toLocaleString('en')} open (cap ${cap.expectedCap.toLocaleString('en')} = limit − SWITCHYARD_STREAM_DESCRIPTOR_HEADROOM); the next: ${cap.refusal}; /healthz at the limit: ${cap.healthAtLimit}`,
      ],
      [
        '1',
        `${(cap.descriptorLimit / 2).toLocaleString('en')} raw connections more, past the descriptors`,
        `${cap.acceptErrorsCounted} counted in switchyard_accept_errors_total{code="EMFILE"}; /healthz once they close: ${cap.healthAfter}`,
      ],
      [
        '4',
        `evaluate, 15 server keys at once, each past its key cache (median); ${outage.store}`,
        `${ms(outage.normalEvaluateMs)} normal, ${ms(outage.outageEvaluateMs)} with the database killed`,
      ],
      [
        '4',
        'new websocket streams, 15 client keys at once (median), same relay',
        `${ms(outage.normalStreamMs)} normal, ${ms(outage.outageStreamMs)} with the database killed`,
      ],
      [
        '5',
        `\`POST /api/v1/feature-flags/evaluate\` with one client key, ${rate.sent.toLocaleString('en')} in a row (every flag each)`,
        `${rate.answered.toLocaleString('en')} answered, ${rate.refused.toLocaleString('en')} refused; first refusal: ${rate.firstRefusal || 'none'}`,
      ],
      [
        '6',
        'a socket that sends part of its headers, then nothing (`GET /healthz`)',
        `${slow.answer}, closed after ${(slow.closedAfterMs / 1000).toFixed(1)} s`,
      ],
      [
        '7',
        'the event-stream URL in an OFREP bulk answer to a server key',
        `\`${urls.advertised}\`; contains the key: ${urls.containsServerKey ? 'YES' : 'no'}; opening it as given: ${urls.opens}`,
      ],
    ],
  );
}
