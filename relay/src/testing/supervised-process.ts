import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Starts the server under a small shell that stops it when this process dies, however it dies:
 * the shell's stdin is a pipe from us, and a watcher kills the server when that pipe closes. (A
 * vitest worker can be killed without running exit handlers; a server must not outlive it.)
 */
const SUPERVISOR = `
exec 3<&0
"$@" 3<&- </dev/null &
server=$!
echo "supervised-pid $server"
(cat <&3 >/dev/null; kill -TERM "$server" 2>/dev/null) 3<&3 &
exec 3<&-
wait "$server"
`;

export interface SupervisedProcess {
  /** The shell; its exit means the server exited. Its output is the server's. */
  readonly shell: ChildProcess;
  /** Resolves to the server's own pid, for signals (SIGKILL simulates a crash). */
  readonly serverPid: Promise<number>;
}

export function spawnSupervised(executable: string, args: string[], cwd: string): SupervisedProcess {
  const shell = spawn('/bin/sh', ['-c', SUPERVISOR, 'supervisor', executable, ...args], {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  shell.once('exit', () => shell.stdin?.destroy());
  const serverPid = new Promise<number>((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      const match = /supervised-pid (\d+)\n/.exec(buffered);
      if (!match) return;
      shell.stdout?.off('data', onData);
      resolve(Number(match[1]));
    };
    shell.stdout?.on('data', onData);
    shell.once('exit', () => reject(new Error('the server exited before it started')));
  });
  serverPid.catch(() => undefined);
  return { shell, serverPid };
}
