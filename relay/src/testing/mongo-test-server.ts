import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { freePort } from './free-port.js';
import { findMongoServerCommand, GET_A_SERVER, type MongoServerCommand } from './mongo-server-command.js';
import { spawnSupervised, type SupervisedProcess } from './supervised-process.js';

export interface MongoTestServerOptions {
  /** How long to wait for the server to accept connections. */
  startTimeoutMs?: number;
}

/** A MongoDB-protocol server for tests: given by SWITCHYARD_TEST_MONGODB_URI, or started here. */
export interface MongoTestServer {
  /** Connection string without a database, e.g. `mongodb://127.0.0.1:40123/`. */
  readonly uri: string;
  readonly kind: 'external' | MongoServerCommand['kind'];
  /** A fresh database name (see `uniqueDatabaseName`); `dispose()` drops it on an external server. */
  databaseName(label: string): string;
  /** Stops the server (SIGTERM, or `SIGKILL` to simulate a crash), keeping its data. Not for external servers. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped server again on the same port and data, and waits until it answers. */
  restart(): Promise<void>;
  /** Stops the server and deletes its data; on an external server, drops the databases it named. */
  dispose(): Promise<void>;
}

const DEFAULT_START_TIMEOUT_MS = 60_000;
const running = new Set<ChildProcess>();
process.once('exit', () => {
  // Closing the supervisors' stdin stops the servers; SIGKILL on the shells would not.
  for (const shell of running) shell.stdin?.destroy();
});

/** A database name no other test file uses: `<label>_<pid>_<random>`, within MongoDB's and FerretDB's limits. */
export function uniqueDatabaseName(label: string): string {
  const safe = label.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 30);
  return `${safe}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/**
 * SWITCHYARD_TEST_MONGODB_URI if set, else `mongod` on PATH, else FerretDB (PATH or
 * $(go env GOPATH)/bin) on a free port with its data in a temp directory. Fails, saying how to get
 * a server, when there is none: the MongoDB tests never skip silently.
 */
export async function startMongoTestServer(options: MongoTestServerOptions = {}): Promise<MongoTestServer> {
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const external = process.env.SWITCHYARD_TEST_MONGODB_URI;
  if (external) {
    await waitUntilAnswering(external, timeoutMs, () => null);
    return externalServer(external);
  }
  const command = findMongoServerCommand();
  if (!command) throw new Error(GET_A_SERVER);
  const dataDir = await mkdtemp(join(tmpdir(), `switchyard-${command.kind}-`));
  const server = new LocalServer(command, dataDir, await freePort(), timeoutMs);
  try {
    await server.restart();
  } catch (error) {
    await server.dispose();
    throw error;
  }
  return server;
}

function externalServer(uri: string): MongoTestServer {
  const named: string[] = [];
  const refuse = async (): Promise<never> => {
    throw new Error(
      'SWITCHYARD_TEST_MONGODB_URI names a server these tests did not start, so they cannot stop or restart it',
    );
  };
  const dispose = async (): Promise<void> => {
    const client = new MongoClient(uri);
    try {
      for (const name of named.splice(0)) await client.db(name).dropDatabase();
    } finally {
      await client.close();
    }
  };
  const databaseName = (label: string): string => {
    const name = uniqueDatabaseName(label);
    named.push(name);
    return name;
  };
  return { uri, kind: 'external', databaseName, stop: refuse, restart: refuse, dispose };
}

class LocalServer implements MongoTestServer {
  readonly uri: string;
  readonly kind: MongoServerCommand['kind'];
  private child: SupervisedProcess | null = null;
  private output = '';

  constructor(
    private readonly command: MongoServerCommand,
    private readonly dataDir: string,
    private readonly port: number,
    private readonly timeoutMs: number,
  ) {
    this.uri = `mongodb://127.0.0.1:${port}/`;
    this.kind = command.kind;
  }

  databaseName(label: string): string {
    return uniqueDatabaseName(label);
  }

  async restart(): Promise<void> {
    if (this.child) return;
    this.output = '';
    const child = spawnSupervised(this.command.executable, this.command.args(this.port, this.dataDir), this.dataDir);
    const { shell } = child;
    this.child = child;
    running.add(shell);
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-4_000);
    };
    shell.stdout?.on('data', keep);
    shell.stderr?.on('data', keep);
    let exited: string | null = null;
    shell.once('exit', (code, signal) => {
      exited = `exited (${signal ?? `code ${String(code)}`})`;
      running.delete(shell);
      if (this.child === child) this.child = null;
    });
    try {
      await waitUntilAnswering(this.uri, this.timeoutMs, () => exited);
    } catch (error) {
      await this.stop('SIGKILL');
      throw new Error(
        `${this.command.executable} did not start: ${(error as Error).message}\n${this.output}\n${GET_A_SERVER}`,
        { cause: error },
      );
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.shell.once('exit', () => resolve()));
    const pid = await child.serverPid.catch(() => null);
    const signalServer = (sent: NodeJS.Signals): void => {
      if (pid === null) child.shell.stdin?.destroy();
      else signalIfRunning(pid, sent);
    };
    signalServer(signal);
    const escalation = setTimeout(() => signalServer('SIGKILL'), 10_000);
    await exited;
    clearTimeout(escalation);
  }

  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

function signalIfRunning(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Pings until the server answers; `exited` reports a server process that died meanwhile. */
async function waitUntilAnswering(uri: string, timeoutMs: number, exited: () => string | null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  while (Date.now() < deadline) {
    const death = exited();
    if (death) throw new Error(`the server ${death}`);
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1_000, connectTimeoutMS: 1_000 });
    try {
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await client.close().catch(() => undefined);
    }
  }
  throw new Error(`no answer at ${uri} within ${timeoutMs} ms (${String(lastError)})`);
}
