import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@switchyard/relay/testing';

/** A MongoDB-protocol server for a bench: SWITCHYARD_BENCH_MONGODB_URI, else a FerretDB 1.24 on SQLite started for the run. */
export interface MongoTarget {
  uri: string;
  label: string;
  /** Kills the database server (a FerretDB started for the run only), leaving its files. */
  kill?: () => void;
  stop(): void;
}

export async function startMongo(): Promise<MongoTarget> {
  const external = process.env['SWITCHYARD_BENCH_MONGODB_URI'];
  if (external) return { uri: external, label: 'MongoDB (SWITCHYARD_BENCH_MONGODB_URI)', stop: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-ferret-'));
  const port = await freePort();
  const binary = process.env['FERRETDB_BIN'] ?? join(homedir(), 'go/bin/ferretdb');
  const child: ChildProcess = spawn(binary, [`--listen-addr=127.0.0.1:${port}`, `--sqlite-url=file:${dir}/`], {
    stdio: 'ignore',
  });
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    label: 'FerretDB 1.24 (SQLite)',
    kill: () => child.kill('SIGKILL'),
    stop: () => {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
