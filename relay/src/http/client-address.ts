import type { IncomingMessage } from 'node:http';

/** Express's compiled `trust proxy` (SWITCHYARD_TRUST_PROXY): whether the hop-th address is a proxy to believe. */
export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * The client address of a request Express does not route (a websocket upgrade), as Express's `req.ip`
 * gives it for the others: the socket's address, or, through trusted proxies, the nearest
 * X-Forwarded-For address that is not one.
 */
export function clientAddress(request: IncomingMessage, trust: TrustProxy): string {
  const forwarded = String(request.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((address) => address.trim())
    .filter((address) => address !== '');
  const hops = [request.socket.remoteAddress ?? '', ...forwarded.reverse()];
  for (let hop = 0; hop < hops.length - 1; hop++) if (!trust(hops[hop]!, hop)) return hops[hop]!;
  return hops[hops.length - 1]!;
}
