import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { BUILT_CLI, CLI_TEST_TIMEOUT_MS, runCli, type CliRun } from './testing/run-cli.js';
import { useTestRelay } from './testing/test-relay.js';

const relay = useTestRelay();
const { cli } = relay;

beforeAll(async () => {
  await cli('create', '--name', 'existing', '--env', 'production');
}, CLI_TEST_TIMEOUT_MS);

/** One line on stderr, nothing on stdout, the given exit code. */
function expectFailure(run: CliRun, exitCode: number, line: RegExp): void {
  expect(run.stdout).toBe('');
  expect(run.stderr.split('\n')).toHaveLength(2);
  expect(run.stderr).toMatch(/^error: /);
  expect(run.stderr).toMatch(line);
  expect(run.code).toBe(exitCode);
}

/** A port nobody listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function listening<T extends Server | ReturnType<typeof createHttpServer>>(
  server: T,
): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('failures: one line on stderr, a distinct exit code', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('when the relay is unreachable, then exit 3 names the URL and how to fix it', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await runCli({ relayUrl: url, apiKey: relay.adminKey }, ['list']);
    expectFailure(
      run,
      3,
      new RegExp(`cannot reach the relay at ${url} \\(ECONNREFUSED\\): start it with \`switchyard serve\``),
    );
  });

  it('when the relay accepts the connection but never answers, then exit 3 says it timed out', async () => {
    const sockets: import('node:net').Socket[] = [];
    const silent = await listening(createServer((socket) => sockets.push(socket)));
    try {
      const run = await runCli({ relayUrl: silent.url, apiKey: 'k' }, ['list', '--timeout', '500']);
      expectFailure(run, 3, new RegExp(`cannot reach the relay at ${silent.url} \\(no answer within 500 ms\\)`));
    } finally {
      for (const socket of sockets) socket.destroy();
      await silent.close();
    }
  });

  it('when the URL points at something that is not a relay, then exit 1 asks whether it is one', async () => {
    const web = await listening(createHttpServer((_request, response) => response.end('<html>hello</html>')));
    try {
      const run = await runCli({ relayUrl: web.url, apiKey: 'k' }, ['list']);
      expectFailure(
        run,
        1,
        /answered GET \/api\/v1\/feature-flags with something other than JSON: is --relay-url \/ SWITCHYARD_URL pointing at a Switchyard relay\?/,
      );
    } finally {
      await web.close();
    }
  });

  it('when the API key is wrong, then exit 4 says the relay rejected it', async () => {
    const run = await runCli({ relayUrl: relay.target.relayUrl, apiKey: 'not-a-key' }, ['list']);
    expectFailure(run, 4, /the relay rejected the API key \(401\): check --api-key \/ SWITCHYARD_API_KEY/);
  });

  it('when no API key is given, then exit 4 says where to put one', async () => {
    const run = await runCli({ relayUrl: relay.target.relayUrl }, ['list']);
    expectFailure(run, 4, /pass --api-key or set SWITCHYARD_API_KEY/);
  });

  it("when the key's role may not write, then exit 4 says so", async () => {
    const created = await cli('keys', 'create', '--name', 'reader', '--role', 'viewer', '--json');
    const secret = (JSON.parse(created.stdout) as { key: string }).key;
    const run = await runCli({ relayUrl: relay.target.relayUrl, apiKey: secret }, ['create', '--name', 'not-allowed']);
    expectFailure(
      run,
      4,
      /^error: the relay refused this API key \(403: a viewer key may not create a flag \(allowed: admin, editor\)\): use a key whose role allows it/,
    );
  });

  it('when the flag does not exist, then exit 5 names the flag and the environment searched', async () => {
    expectFailure(
      await cli('get', '--name', 'missing', '--env', 'staging'),
      5,
      /flag "missing" not found in environment "staging": check the name with `switchyard list --env staging`/,
    );
    expectFailure(
      await cli('enable', '--name', 'missing'),
      5,
      /^error: flag "missing" not found in any environment: check the name with `switchyard list`$/m,
    );
    expectFailure(
      await cli('evaluate', '--name', 'missing', '--user', 'u1', '--env', 'staging'),
      5,
      /flag "missing" not found in environment "staging"/,
    );
  });

  it('when the relay rejects the input, then exit 6 names the field', async () => {
    const run = await runCli(relay.target, ['update', '--name', 'existing', '--file', '-'], {
      stdin: '{"rolloutConfig": {"strategy": "percentage", "percentage": 150}}',
    });
    expectFailure(run, 6, /^error: invalid input: \S*percentage: /);
    expectFailure(await cli('create', '--name', 'Not A Kebab Name'), 6, /^error: invalid input: name: /);
  });

  it('when the name is taken, then exit 7 says to update instead', async () => {
    expectFailure(
      await cli('create', '--name', 'existing'),
      7,
      /a flag named "existing" already exists: change it with `switchyard update --name existing`/,
    );
  });

  it('when someone else wrote since the version read, then exit 7 says to run it again', async () => {
    await cli('update', '--name', 'existing', '--description', 'moved on');
    const run = await cli('update', '--name', 'existing', '--description', 'stale', '--if-version', '1');
    expectFailure(run, 7, /flag "existing" changed since it was read at version 1: .*run the command again/);
  });

  it('when options are wrong, then exit 2 before anything is sent', async () => {
    expectFailure(
      await cli('enable', '--name', 'existing', '--percentage', '150'),
      2,
      /'--percentage <percent>' argument '150' is invalid\. expected a percentage from 0 to 100/,
    );
    expectFailure(await cli('update', '--name', 'existing'), 2, /nothing to change: pass settings such as/);
    expectFailure(
      await cli('update', '--name', 'existing', '--rule', 'plan is premium'),
      2,
      /operator "is" is not one of/,
    );
    expectFailure(await cli('get'), 2, /required option '--name <name>' not specified/);
    expectFailure(
      await cli('list', '--relay-url', 'localhost:8080'),
      2,
      /--relay-url "localhost:8080" is not an http\(s\) URL/,
    );
  });

  it('when asking for help on any command, then it lists options and examples and exits 0', async () => {
    const commands = [
      ['create'],
      ['list'],
      ['get'],
      ['update'],
      ['enable'],
      ['disable'],
      ['delete'],
      ['evaluate'],
      ['history'],
      ['rollback'],
      ['analytics'],
      ['audit'],
      ['export'],
      ['import'],
      ['keys'],
      ['keys', 'create'],
      ['keys', 'list'],
      ['keys', 'revoke'],
      ['serve'],
    ];
    for (const command of commands) {
      const run = await cli(...command, '--help');
      expect(run.code, command.join(' ')).toBe(0);
      expect(run.stdout, command.join(' ')).toContain('Examples:');
      expect(run.stdout).toContain(`$ switchyard ${command.join(' ')}`);
    }
  });
});

describe('when the reader of stdout goes away early (`switchyard list | head -1`)', () => {
  it(
    'then the CLI stops quietly with exit code 0, without a stack trace',
    async () => {
      const child = spawn(process.execPath, [BUILT_CLI, 'list'], {
        env: {
          ...process.env,
          NO_COLOR: '1',
          SWITCHYARD_URL: relay.target.relayUrl,
          SWITCHYARD_API_KEY: relay.target.apiKey,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr).toBe('');
      expect(code).toBe(0);
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
