import { once } from 'node:events';
import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyIncompleteError, BodyNotJsonError, BodyTooLargeError, hasBody, readJsonBody } from './request-body.js';

const LIMIT = 64;

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A server that reads each body with readJsonBody, reports the outcome, and answers 200 or 400 after reading. */
async function serve(): Promise<{ port: number; outcomes: Array<unknown> }> {
  const outcomes: unknown[] = [];
  server = createServer((req: IncomingMessage, res) => {
    readJsonBody(req, LIMIT).then(
      (body) => {
        outcomes.push({ body });
        res.end('ok');
      },
      (error: unknown) => {
        outcomes.push(error);
        res.statusCode = 400;
        res.end(String(error));
      },
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, outcomes };
}

/** Sends `chunks` one by one (chunked when `length` is undefined); resolves with the status, or the client error. */
function send(port: number, chunks: string[], length?: number): Promise<number | Error> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (length !== undefined) headers['content-length'] = String(length);
    const req = request({ port, host: '127.0.0.1', method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', resolve);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('readJsonBody', () => {
  it('when a JSON body arrives in several chunks, then it is parsed whole', async () => {
    const { port, outcomes } = await serve();
    expect(await send(port, ['{"flagName":', '"a", "n": [1,', '2]}'])).toBe(200);
    expect(outcomes).toEqual([{ body: { flagName: 'a', n: [1, 2] } }]);
  });

  it('when the body starts with a UTF-8 byte-order mark, then it is parsed', async () => {
    const { port, outcomes } = await serve();
    const text = '\ufeff{"ä":"ü"}';
    expect(await send(port, [text], Buffer.byteLength(text))).toBe(200);
    expect(outcomes).toEqual([{ body: { ä: 'ü' } }]);
  });

  it('when the declared length is over the limit, then it refuses with the limit, after reading the body off', async () => {
    const { port, outcomes } = await serve();
    const big = JSON.stringify({ text: 'x'.repeat(LIMIT * 4) });
    expect(await send(port, [big], Buffer.byteLength(big))).toBe(400);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toBeInstanceOf(BodyTooLargeError);
    expect((outcomes[0] as BodyTooLargeError).limit).toBe(LIMIT);
  });

  it('when a chunked body grows over the limit, then it refuses without declaring a length', async () => {
    const { port, outcomes } = await serve();
    expect(await send(port, ['{"text":"', 'x'.repeat(LIMIT), '"}'])).toBe(400);
    expect(outcomes[0]).toBeInstanceOf(BodyTooLargeError);
  });

  it('when the body is exactly the limit, then it is accepted', async () => {
    const { port, outcomes } = await serve();
    const exact = JSON.stringify({ text: 'x'.repeat(LIMIT - 11) });
    expect(Buffer.byteLength(exact)).toBe(LIMIT);
    expect(await send(port, [exact], LIMIT)).toBe(200);
    expect(outcomes).toEqual([{ body: { text: 'x'.repeat(LIMIT - 11) } }]);
  });

  it('when the body is not JSON, then the error says where parsing stopped', async () => {
    const { port, outcomes } = await serve();
    expect(await send(port, ['{"a":'], 5)).toBe(400);
    expect(outcomes[0]).toBeInstanceOf(BodyNotJsonError);
    expect((outcomes[0] as Error).message).toMatch(/^the body is not valid JSON: .+/);
  });

  it('when the body is not valid UTF-8, then it is refused rather than stored with replacement characters', async () => {
    const { port, outcomes } = await serve();
    const body = Buffer.concat([
      Buffer.from('{"description":"caf'),
      Buffer.from([0xe9, 0x20, 0xff]),
      Buffer.from('"}'),
    ]);
    const status = await new Promise<number>((resolve) => {
      const req = request(
        {
          port,
          host: '127.0.0.1',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.end(body);
    });
    expect(status).toBe(400);
    expect(outcomes[0]).toBeInstanceOf(BodyNotJsonError);
    expect((outcomes[0] as Error).message).toContain('not UTF-8');
  });

  it('when the client goes away mid-body, then it rejects as incomplete and the server goes on serving', async () => {
    const { port, outcomes } = await serve();
    const req = request({
      port,
      host: '127.0.0.1',
      method: 'POST',
      headers: { 'content-length': '100', 'content-type': 'application/json' },
    });
    req.on('error', () => undefined);
    const arrived = once(server!, 'request');
    req.write('{"half":');
    await arrived;
    req.destroy();
    await expect.poll(() => outcomes.length).toBe(1);
    expect(outcomes[0]).toBeInstanceOf(BodyIncompleteError);
    expect(await send(port, ['{}'], 2)).toBe(200);
  });
});

describe('readJsonBody when the body has already arrived', () => {
  it('when the body waits in the buffer before it is read, then it is taken whole and the connection serves the next request', async () => {
    const bodies: unknown[] = [];
    server = createServer((req, res) => {
      // Read later, as the relay does after authenticating: by then the small body sits in the buffer
      // (the delay is the condition under test).
      setTimeout(() => {
        readJsonBody(req, LIMIT).then(
          (body) => {
            bodies.push(body);
            res.end('ok');
          },
          (error: unknown) => {
            res.statusCode = 400;
            res.end(String(error));
          },
        );
      }, 30);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: string) =>
      new Promise<{ status: number; socket: unknown }>((resolve, reject) => {
        const req = request(
          {
            port,
            host: '127.0.0.1',
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, socket: req.socket }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const first = await post('{"n":1}');
    const second = await post('{"n":2}');
    agent.destroy();
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.socket).toBe(first.socket);
    expect(bodies).toEqual([{ n: 1 }, { n: 2 }]);
  });
});

describe('hasBody', () => {
  const withHeaders = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

  it('when a length above zero or chunked encoding is declared, then there is a body; otherwise not', () => {
    expect(hasBody(withHeaders({ 'content-length': '2' }))).toBe(true);
    expect(hasBody(withHeaders({ 'transfer-encoding': 'chunked' }))).toBe(true);
    expect(hasBody(withHeaders({ 'content-length': '0' }))).toBe(false);
    expect(hasBody(withHeaders({}))).toBe(false);
  });
});
