import type { StartedRelay } from '../support/start-relay.js';

/** Calls a relay's REST API (as its admin unless `key` is given); resolves with the status and the parsed body. */
export async function api(
  relay: StartedRelay,
  method: string,
  path: string,
  { key = relay.adminKey, body }: { key?: string; body?: unknown } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(`${relay.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

/** Items of a list response, whatever its envelope. */
export function items(body: any): any[] {
  return Array.isArray(body)
    ? body
    : (body?.items ?? body?.entries ?? body?.versions ?? body?.data ?? body?.flags ?? []);
}

/** The secret in a key-creation answer. */
export function secretOf(body: any): string {
  return body.secret ?? body.key;
}
