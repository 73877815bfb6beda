import { connect } from 'node:net';
import { startRelayProcess } from '../relay-process.js';

/** Issue 17 item 6: a socket that sends part of its headers and then nothing. */
export interface SlowHeadersResult {
  /** From the last byte sent to the relay closing the socket. */
  closedAfterMs: number;
  answer: string;
}

/** With the relay's default settings (SWITCHYARD_HEADERS_TIMEOUT_MS). */
export async function measureSlowHeaders(adminKey: string): Promise<SlowHeadersResult> {
  const relay = await startRelayProcess(adminKey, { SWITCHYARD_CONSOLE_ENABLED: 'false' });
  try {
    const { hostname, port } = new URL(relay.url);
    return await new Promise<SlowHeadersResult>((resolve, reject) => {
      let sentAt = 0;
      let answer = '';
      const socket = connect(Number(port), hostname, () => {
        socket.write(`GET /healthz HTTP/1.1\r\nHost: ${hostname}\r\nX-Slow: `);
        sentAt = performance.now();
      });
      socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
      socket.once('close', () =>
        resolve({ closedAfterMs: performance.now() - sentAt, answer: answer.split('\r\n')[0] || 'nothing' }),
      );
      socket.once('error', reject);
    });
  } finally {
    await relay.stop();
  }
}
