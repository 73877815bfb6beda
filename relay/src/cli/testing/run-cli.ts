import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built CLI, as users run it (tests never import the commands: they run this file). */
export const BUILT_CLI = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));

/**
 * Per test: each spawns several CLI processes on a machine whose 2 cores are shared by the
 * whole team, so this is generous on purpose (it bounds a hang, it does not measure speed).
 */
export const CLI_TEST_TIMEOUT_MS = 120_000;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliTarget {
  relayUrl: string;
  apiKey?: string;
}

/** Fails with a hint when the CLI was not built, instead of every test failing obscurely. */
export function assertCliBuilt(): void {
  if (!existsSync(BUILT_CLI)) {
    throw new Error(`${BUILT_CLI} is missing: build first (npx turbo run build --filter=@switchyard/relay...)`);
  }
}

/**
 * Runs `node dist/cli/main.js …args` as a separate process, asynchronously so an in-process
 * relay keeps answering. Connection settings come through the environment, as a user's shell
 * would give them; `--relay-url`/`--api-key` in `args` win.
 */
export function runCli(
  target: CliTarget,
  args: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', SWITCHYARD_URL: target.relayUrl, ...options.env };
  delete env.SWITCHYARD_API_KEY;
  if (target.apiKey !== undefined) env.SWITCHYARD_API_KEY = target.apiKey;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUILT_CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** Parses stdout of a `--json` run, failing with what the CLI printed when it is not JSON. */
export function jsonOf<T>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${run.code}):\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  }
}

/**
 * Runs the built CLI on a terminal: `script` gives it a pseudo-terminal (so stdin.isTTY), and
 * `typed` is what the user types. The terminal merges stdout and stderr into `output` (CRLF lines).
 */
export function runCliOnTerminal(
  target: CliTarget,
  args: string[],
  typed: string,
): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, BUILT_CLI, ...args].map(shellQuoted).join(' ');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    SWITCHYARD_URL: target.relayUrl,
    SWITCHYARD_API_KEY: target.apiKey ?? '',
  };
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: output.replace(/\r\n/g, '\n') }));
    child.stdin.end(typed);
  });
}

function shellQuoted(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
