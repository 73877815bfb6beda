import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** How to start a local MongoDB-protocol server on a port with its data in a directory. */
export interface MongoServerCommand {
  kind: 'mongod' | 'ferretdb';
  executable: string;
  args(port: number, dataDir: string): string[];
}

export const GET_A_SERVER =
  'The MongoDB store tests need a MongoDB-protocol server. Either set SWITCHYARD_TEST_MONGODB_URI ' +
  '(e.g. mongodb://127.0.0.1:27017), or put mongod on PATH, or install FerretDB 1.24.2 into ' +
  '$(go env GOPATH)/bin with tools/ferretdb/install.sh (a plain ' +
  '`go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` builds a binary that panics at start; ' +
  'see docs/storage.md).';

/** mongod on PATH, else FerretDB on PATH or in $(go env GOPATH)/bin; null when there is neither. */
export function findMongoServerCommand(): MongoServerCommand | null {
  const mongod = onPath('mongod');
  if (mongod) {
    return {
      kind: 'mongod',
      executable: mongod,
      args: (port, dataDir) => ['--dbpath', dataDir, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'],
    };
  }
  const ferretdb = onPath('ferretdb') ?? inGoBin('ferretdb');
  if (!ferretdb) return null;
  const extra = ferretdbHelp(ferretdb).includes('debug-addr') ? ['--debug-addr=-'] : [];
  return {
    kind: 'ferretdb',
    executable: ferretdb,
    args: (port, dataDir) => [
      '--handler=sqlite',
      `--sqlite-url=file:${dataDir}/`,
      `--listen-addr=127.0.0.1:${port}`,
      '--telemetry=disable',
      `--state-dir=${dataDir}`,
      '--log-level=error',
      // Real FerretDB serves metrics on 127.0.0.1:8088 by default, which a second instance could not bind.
      ...extra,
    ],
  };
}

function onPath(name: string): string | null {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    if (directory && isExecutable(join(directory, name))) return join(directory, name);
  }
  return null;
}

function inGoBin(name: string): string | null {
  let goPath = join(homedir(), 'go');
  try {
    goPath =
      execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || goPath;
  } catch {
    // No go on PATH: the default GOPATH may still hold a binary.
  }
  const candidate = join(goPath.split(delimiter)[0]!, 'bin', name);
  return isExecutable(candidate) ? candidate : null;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function ferretdbHelp(executable: string): string {
  const result = spawnSync(executable, ['--help'], { encoding: 'utf8', timeout: 30_000 });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`;
}
