import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../relay/src/testing/free-port.js';

const RELAY_CLI = fileURLToPath(new URL('../../../relay/dist/cli/main.js', import.meta.url));

/** A relay started as its own process (`switchyard serve`), as an operator would run it. */
export interface RelayProcess {
  readonly url: string;
  readonly name: string;
  /** Calls the relay's REST API with a key; resolves with the status and the parsed body. */
  api(method: string, path: string, options?: { key?: string; body?: unknown }): Promise<{ status: number; body: any }>;
  /** Lines the relay wrote to stdout/stderr (the last 200). */
  readonly output: string[];
  stop(): Promise<void>;
}

export interface RelayProcessOptions {
  name: string;
  adminKey: string;
  env: Record<string, string>;
}

/** Starts `node relay/dist/cli/main.js serve` on a free port and waits for /healthz. */
export async function startRelayProcess(options: RelayProcessOptions): Promise<RelayProcess> {
  if (!existsSync(RELAY_CLI)) {
    throw new Error(`${RELAY_CLI} is missing: build first (npx turbo run build --filter=@switchyard/relay...)`);
  }
  const port = await freePort();
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, [RELAY_CLI, 'serve'], {
    env: {
      ...process.env,
      SWITCHYARD_PORT: String(port),
      SWITCHYARD_HOST: '127.0.0.1',
      SWITCHYARD_ADMIN_KEY: options.adminKey,
      SWITCHYARD_LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer): void => {
    output.push(...chunk.toString().split('\n').filter(Boolean));
    output.splice(0, Math.max(0, output.length - 200));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const relay: RelayProcess = {
    url,
    name: options.name,
    output,
    async api(method, path, { key = options.adminKey, body } = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const escalation = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(escalation);
    },
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`relay ${options.name} exited (${child.exitCode}):\n${output.join('\n')}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return relay;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await relay.stop();
  throw new Error(`relay ${options.name} did not answer /healthz within 60 s:\n${output.join('\n')}`);
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, what = 'the condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}
