import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@switchyard/relay/testing';
import { pinned } from '../relay-process.js';
import { waitForWorkers } from './worker-ready.js';

const SERVER = fileURLToPath(new URL('./bare-express-server.ts', import.meta.url));
const BENCH_DIR = fileURLToPath(new URL('../..', import.meta.url));

export interface BareExpressProcess {
  /** `http://127.0.0.1:<port>`; POST `/<path>` answers `answers[path]`. */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The bare Express ceiling (bare-express-server.ts) as its own process tree of `workers` processes. */
export async function startBareExpress(
  answers: Record<string, unknown>,
  workers: number,
  cpus?: string,
): Promise<BareExpressProcess> {
  const port = await freePort();
  const [command, args] = pinned(cpus, process.execPath, ['--import', 'tsx', SERVER]);
  const child: ChildProcess = spawn(command, args, {
    cwd: BENCH_DIR,
    env: {
      ...process.env,
      BARE_PORT: String(port),
      BARE_WORKERS: String(workers),
      BARE_ANSWERS: JSON.stringify(answers),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForWorkers(`${url}/ready`, workers, 'x-bare-worker');
  return {
    url,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
