import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { descriptorLimit, DEFAULT_STREAM_LIMITS, streamCapOf } from './stream-limits.js';

const BUILT_CLI = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));
const ADMIN_KEY = 'descriptor-limit-admin-key';
/** The relay process gets this many file descriptors (ulimit -n), and keeps this many of them from streams. */
const DESCRIPTORS = 160;
const HEADROOM = 80;

/** A stream opened with the key in the header: 'open', or the refusal's status and Retry-After. */
function openStream(url: string, key: string): Promise<{ socket?: WebSocket; status?: number; retryAfter?: string }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${url.replace('http', 'ws')}/api/v1/stream`, {
      headers: { authorization: `Bearer ${key}` },
    });
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_request, response) =>
      resolve({ status: response.statusCode, retryAfter: response.headers['retry-after'] }),
    );
    socket.once('error', () => resolve({ status: 0 }));
  });
}

describe('a relay with few file descriptors', { timeout: 120_000 }, () => {
  let child: ChildProcess;
  let url: string;
  let logs = '';
  let dataDir: string;
  const streams: WebSocket[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'switchyard-descriptors-'));
    child = spawn(
      'bash',
      ['-c', `ulimit -n ${DESCRIPTORS} && exec "${process.execPath}" "${BUILT_CLI}" serve --port 0 --host 127.0.0.1`],
      {
        env: {
          ...process.env,
          SWITCHYARD_DATA_DIR: dataDir,
          SWITCHYARD_ADMIN_KEY: ADMIN_KEY,
          SWITCHYARD_STREAM_DESCRIPTOR_HEADROOM: String(HEADROOM),
          SWITCHYARD_STREAM_MAX_PER_ADDRESS: '1000',
          SWITCHYARD_MAX_CONNECTIONS_PER_ADDRESS: '0',
          SWITCHYARD_CONSOLE_ENABLED: 'false',
          // One process: the descriptor limit and the counts below are that process's.
          SWITCHYARD_WORKERS: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (logs += chunk));
    url = await new Promise<string>((resolve, reject) => {
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        logs += chunk;
        const started = /^(?=.*"msg":"relay started").*"url":"([^"]+)"/m.exec(logs);
        if (started) resolve(started[1]!);
      });
      child.once('exit', (code) => reject(new Error(`the relay exited with ${code}:\n${logs}`)));
    });
  });
  afterAll(async () => {
    for (const stream of streams) stream.terminate();
    child?.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json', ...init.headers },
    });

  it('when every stream the descriptors allow is open, then the next gets 503 with Retry-After and /healthz still answers', async () => {
    const expectedCap = DESCRIPTORS - HEADROOM;
    expect(logs).toContain(`"maxConnections":${expectedCap}`);
    const created = await call('/api/v1/api-keys', {
      method: 'POST',
      body: JSON.stringify({ name: 'many-streams', role: 'client', environment: 'production' }),
    });
    const { key } = (await created.json()) as { key: string };
    for (let i = 0; i < expectedCap; i++) {
      const opened = await openStream(url, key);
      expect(opened.socket, `stream ${i + 1}: ${opened.status}`).toBeDefined();
      streams.push(opened.socket!);
    }
    const refused = await openStream(url, key);
    expect(refused.status).toBe(503);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('when connections outrun the descriptors, then the relay drops the excess, logs and counts it, and serves again once they close', async () => {
    const { hostname, port } = new URL(url);
    const sockets: Socket[] = [];
    while (!logs.includes('connections refused: the process is at its file descriptor limit')) {
      const socket = connect(Number(port), hostname);
      socket.on('error', () => undefined);
      await once(socket, 'connect');
      sockets.push(socket);
      // Pacing, not waiting: every tenth connection lets the relay's accept loop run.
      if (sockets.length % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const socket of sockets) socket.destroy();
    for (const stream of streams.splice(0)) stream.terminate();
    let metrics = '';
    while (!/^switchyard_accept_errors_total\{code="EMFILE"\} [1-9]/m.test(metrics)) {
      metrics = await fetch(`${url}/metrics`).then(
        (answer) => answer.text(),
        () => '',
      );
    }
    expect(logs).toMatch(
      /^(?=.*"msg":"connections refused: the process is at its file descriptor limit").*"code":"EMFILE"/m,
    );
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});

describe('streamCapOf', () => {
  it('when the descriptor limit is known, then the cap keeps the headroom free; unknown, the setting stands', () => {
    expect(streamCapOf({ ...DEFAULT_STREAM_LIMITS, maxConnections: 20_000 }, 20_000)).toBe(
      20_000 - DEFAULT_STREAM_LIMITS.descriptorHeadroom,
    );
    expect(streamCapOf({ ...DEFAULT_STREAM_LIMITS, maxConnections: 500 }, 20_000)).toBe(500);
    expect(streamCapOf(DEFAULT_STREAM_LIMITS, undefined)).toBe(DEFAULT_STREAM_LIMITS.maxConnections);
    expect(
      descriptorLimit(
        'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 4096                 files\n',
      ),
    ).toBe(1024);
  });
});
