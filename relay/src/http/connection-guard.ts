import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /** Most open connections from one client address (SWITCHYARD_MAX_CONNECTIONS_PER_ADDRESS); 0: no limit. */
  maxConnectionsPerAddress: number;
  /** Suggested in the refusal's Retry-After. */
  retryAfterSeconds: number;
}

/**
 * Caps the connections one address may hold open. A connection over the cap is answered at once
 * with 503, `Retry-After` and a problem+json body, then closed, so one client cannot take every
 * socket of the process. The address is the socket's own: behind a proxy it is the proxy's
 * (raise the setting above the proxy's connections, or 0).
 */
export function guardConnections(server: Server, limits: ConnectionLimits, onRefused: () => void): void {
  if (limits.maxConnectionsPerAddress === 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = open.get(address) ?? 0;
    if (count >= limits.maxConnectionsPerAddress) {
      onRefused();
      refuse(socket, limits);
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

function refuse(socket: Socket, limits: ConnectionLimits): void {
  const body = JSON.stringify({
    type: 'urn:switchyard:problem:too-many-connections',
    title: 'Service Unavailable',
    status: 503,
    detail: `more than ${limits.maxConnectionsPerAddress} open connections from this address (SWITCHYARD_MAX_CONNECTIONS_PER_ADDRESS)`,
    code: 'TOO_MANY_CONNECTIONS',
    errors: [],
  });
  socket.on('error', () => socket.destroy());
  socket.end(
    'HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\n' +
      `Retry-After: ${limits.retryAfterSeconds}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
