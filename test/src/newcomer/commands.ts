import { spawn, type ChildProcess } from 'node:child_process';

/** Output kept from a long-running command, for failure messages. */
const MAX_LOG_CHARS = 64 * 1024;

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment a newcomer's shell has: ours without what npm, turbo and vitest set for the
 * test run (`npm_config_*` would point npm at this repository's workspace; `NODE_ENV=test`).
 */
function shellEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(npm_|INIT_CWD$|TURBO_|VITEST|NODE_ENV$|NODE_OPTIONS$)/i.test(name)) env[name] = value;
  }
  return { ...env, TURBO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', ...extra };
}

/** Runs a command to its end; rejects with its output when it fails, unless `allowFailure`. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; allowFailure?: boolean },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: shellEnvironment(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 || options.allowFailure) resolve({ code, stdout, stderr });
      else reject(new Error(`${command} ${args.join(' ')} (in ${options.cwd}) exited ${code}:\n${stdout}\n${stderr}`));
    });
  });
}

export interface RunningRelayCommand {
  url: string;
  logs(): string;
  /** Stops the whole process group (npm start runs a shell that runs node). */
  stop(): Promise<void>;
}

/**
 * Starts a command that ends up running a relay (`npm start`, `switchyard serve`) in its own
 * process group, and waits for the relay's `relay started` log line, which carries its URL.
 */
export function startRelayCommand(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<RunningRelayCommand> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: shellEnvironment({ SWITCHYARD_HOST: '127.0.0.1', SWITCHYARD_PORT: '0', ...options.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  let started = false;
  return new Promise((resolve, reject) => {
    const onOutput = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-MAX_LOG_CHARS);
      const url = started ? undefined : /^(?=.*"msg":"relay started").*"url":"([^"]+)"/m.exec(log)?.[1];
      if (url === undefined) return;
      started = true;
      resolve({ url, logs: () => log, stop: () => stopGroup(child) });
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      reject(new Error(`${command} ${args.join(' ')} exited (${code ?? signal}) before the relay started:\n${log}`)),
    );
  });
}

/** SIGTERM to the group, SIGKILL after 10 s; resolves once the leader has exited. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is gone already
    }
  };
  signalGroup('SIGTERM');
  const killer = setTimeout(() => signalGroup('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}
