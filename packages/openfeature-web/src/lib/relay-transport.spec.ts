import { describe, expect, it } from 'vitest';
import { resolveOptions } from './options.js';
import { RelayTransport } from './relay-transport.js';
import {
  SwitchyardTooManyRequestsError,
  SwitchyardTransportError,
  SwitchyardUnauthorizedError,
} from '@switchyard/protocol';

type Call = { url: string; init: RequestInit };

function transportAnswering(answer: (call: Call) => Response) {
  const calls: Call[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    const call = { url, init };
    calls.push(call);
    return answer(call);
  }) as unknown as typeof fetch;
  const transport = new RelayTransport(
    resolveOptions({ relayUrl: 'https://flags.example/relay/', clientKey: 'ck' }),
    fetchImpl,
    undefined,
  );
  return { transport, calls };
}

const json = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), {
    ...init,
    headers: { 'Content-Type': 'application/json', ...(init.headers ?? {}) },
  });

describe('RelayTransport', () => {
  it('when fetching values, then it posts the context to the OFREP bulk endpoint with the key and the ETag', async () => {
    const { transport, calls } = transportAnswering(() =>
      json(
        {
          flags: [
            { key: 'a', value: 1, variant: 'one', reason: 'STATIC', metadata: { enabled: true } },
            { key: 'b', reason: 'DISABLED' },
          ],
        },
        { headers: { ETag: '"e2"' } },
      ),
    );
    const answer = await transport.fetchValues({ targetingKey: 'u' }, '"e1"');
    expect(calls[0]?.url).toBe('https://flags.example/relay/ofrep/v1/evaluate/flags');
    const headers = calls[0]?.init.headers as Record<string, string>;
    expect(headers.Authorization).toBe('Bearer ck');
    expect(headers['If-None-Match']).toBe('"e1"');
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ context: { targetingKey: 'u' } });
    expect(answer).toEqual({
      changed: true,
      etag: '"e2"',
      values: { a: { value: 1, variant: 'one', reason: 'STATIC', enabled: true }, b: { reason: 'DISABLED' } },
    });
  });

  it('when the relay answers 304, then the values are unchanged', async () => {
    const { transport } = transportAnswering(() => new Response(null, { status: 304 }));
    expect(await transport.fetchValues({}, '"e1"')).toEqual({ changed: false });
  });

  it('when the relay answers 401, 429 or 500, then the matching transport error is thrown with its shared code', async () => {
    const unauthorized = transportAnswering(() => new Response('no', { status: 401 })).transport;
    await expect(unauthorized.fetchValues({}, undefined)).rejects.toBeInstanceOf(SwitchyardUnauthorizedError);
    await expect(unauthorized.fetchValues({}, undefined)).rejects.toMatchObject({
      code: 'SWITCHYARD_UNAUTHORIZED',
      openFeatureErrorCode: 'PROVIDER_FATAL',
      status: 401,
    });
    const limited = transportAnswering(
      () => new Response('slow down', { status: 429, headers: { 'Retry-After': '7' } }),
    ).transport;
    await expect(limited.fetchValues({}, undefined)).rejects.toMatchObject({
      code: 'SWITCHYARD_TOO_MANY_REQUESTS',
      retryAfterMs: 7000,
    });
    await expect(limited.fetchValues({}, undefined)).rejects.toBeInstanceOf(SwitchyardTooManyRequestsError);
    const failing = transportAnswering(() => new Response('oops', { status: 500 })).transport;
    await expect(failing.fetchValues({}, undefined)).rejects.toMatchObject({
      code: 'SWITCHYARD_HTTP_ERROR',
      openFeatureErrorCode: 'GENERAL',
      status: 500,
      retriable: true,
    });
  });

  it('when usage is sent while the page hides, then the request is keepalive', async () => {
    const { transport, calls } = transportAnswering(() => new Response(null, { status: 202 }));
    await transport.sendUsage({ events: [] }, true);
    expect(calls[0]?.url).toBe('https://flags.example/relay/api/v1/usage');
    expect(calls[0]?.init.keepalive).toBe(true);
  });

  it('when usage sent while the page hides is refused, then sendUsage rejects so the batch is kept', async () => {
    const { transport, calls } = transportAnswering(() => new Response('no', { status: 401 }));
    await expect(transport.sendUsage({ events: [] }, true)).rejects.toBeInstanceOf(SwitchyardUnauthorizedError);
    expect(new Headers(calls[0]?.init.headers).get('Authorization')).toMatch(/^Bearer /);
  });

  it('when the caller aborts a fetch, then the request is aborted and fails', async () => {
    const calls: Call[] = [];
    const fetchImpl = ((url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Promise<Response>((_, reject) =>
        init.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    }) as unknown as typeof fetch;
    const transport = new RelayTransport(
      resolveOptions({ relayUrl: 'https://flags.example', clientKey: 'ck' }),
      fetchImpl,
      undefined,
    );
    const closing = new AbortController();
    const fetching = transport.fetchValues({}, undefined, closing.signal);
    closing.abort();
    await expect(fetching).rejects.toBeInstanceOf(SwitchyardTransportError);
    await expect(fetching).rejects.toMatchObject({ code: 'SWITCHYARD_TRANSPORT_ERROR', retriable: true });
    expect(calls[0]?.init.signal?.aborted).toBe(true);
  });
});
