import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A websocket upgrade to the relay's stream written by hand on a fresh socket: the benches open
 * thousands of streams from one process, where a client library's own work would be measured too.
 */
export function connectAndUpgrade(url: string, key: string): Socket {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname, () => {
    socket.write(
      'GET /api/v1/stream HTTP/1.1\r\n' +
        `Host: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
        `Authorization: Bearer ${key}\r\n\r\n`,
    );
  });
  return socket;
}
