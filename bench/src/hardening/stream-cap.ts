import { connect, type Socket } from 'node:net';
import { DEFAULT_STREAM_LIMITS } from '@switchyard/relay';
import { connectAndUpgrade } from '../raw-upgrade.js';
import { startRelayProcess } from '../relay-process.js';
import { timed } from './timed.js';

/** Issue 17 item 1: a relay whose descriptor limit is below the stream cap. */
export interface StreamCapResult {
  descriptorLimit: number;
  expectedCap: number;
  opened: number;
  refusal: string;
  healthAtLimit: string;
  /** Raw connections past the descriptors: the relay's accept errors counted, and health afterwards. */
  acceptErrorsCounted: number;
  healthAfter: string;
}

/** The relay's descriptor limit: the default headroom (1,024) leaves 3,072 for streams. */
const DESCRIPTORS = 4096;
const ACCEPTED = 'HTTP/1.1 101';

/**
 * Opens client-key websocket streams until the relay refuses one, asks /healthz at the limit,
 * then opens raw connections past the descriptors and reads the accept-error count.
 */
export async function measureStreamCap(adminKey: string): Promise<StreamCapResult> {
  const relay = await startRelayProcess(
    adminKey,
    {
      SWITCHYARD_MAX_CONNECTIONS_PER_ADDRESS: '0',
      SWITCHYARD_STREAM_MAX_PER_ADDRESS: '100000',
      SWITCHYARD_CONSOLE_ENABLED: 'false',
    },
    { descriptorLimit: DESCRIPTORS },
  );
  const sockets: Socket[] = [];
  try {
    const key = await relay.createKey('client');
    let refusal = '';
    while (refusal === '') {
      const { socket, head } = await upgrade(relay.url, key);
      sockets.push(socket);
      if (!head.startsWith(ACCEPTED)) refusal = statusAndRetryAfter(head);
    }
    const opened = sockets.length - 1;
    const health = await timed(() => fetch(`${relay.url}/healthz`));
    const healthAtLimit = `${health.value.status} in ${health.ms.toFixed(0)} ms`;
    // Past the descriptors: raw sockets (no request) until the relay starts dropping them.
    const { hostname, port } = new URL(relay.url);
    for (let i = 0; i < DESCRIPTORS / 2; i += 1) {
      const socket = connect(Number(port), hostname);
      socket.on('error', () => undefined);
      sockets.push(socket);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const socket of sockets.splice(0)) socket.destroy();
    const metrics = await (await fetch(`${relay.url}/metrics`)).text();
    const acceptErrorsCounted = Number(
      /^switchyard_accept_errors_total\{code="EMFILE"\} (\d+)/m.exec(metrics)?.[1] ?? 0,
    );
    const after = await timed(() => fetch(`${relay.url}/healthz`));
    return {
      descriptorLimit: DESCRIPTORS,
      expectedCap: DESCRIPTORS - DEFAULT_STREAM_LIMITS.descriptorHeadroom,
      opened,
      refusal,
      healthAtLimit,
      acceptErrorsCounted,
      healthAfter: `${after.value.status} in ${after.ms.toFixed(0)} ms`,
    };
  } finally {
    for (const socket of sockets) socket.destroy();
    await relay.stop();
  }
}

/** A websocket upgrade by hand (thousands of them from one process): the socket and the answer's head. */
function upgrade(url: string, key: string): Promise<{ socket: Socket; head: string }> {
  return new Promise((resolve, reject) => {
    const socket = connectAndUpgrade(url, key);
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('latin1');
      const end = seen.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      resolve({ socket, head: seen.slice(0, end) });
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

function statusAndRetryAfter(head: string): string {
  const status = head.split('\r\n')[0]!.replace(/^HTTP\/1\.1 /, '');
  const retryAfter = /^retry-after: *(\S+)/im.exec(head)?.[1];
  return retryAfter === undefined ? status : `${status}, Retry-After ${retryAfter}`;
}
