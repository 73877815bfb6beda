import { readdir, readFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/start-relay.js';
import { run, startRelayCommand, type CommandResult, type RunningRelayCommand } from './commands.js';

/**
 * A newcomer's first hour, on a fresh clone of this repository's committed state: `npm ci`, the
 * README's `npm start` and CLI step, then `npm run pack` and an app outside the repository that
 * installs the tarballs and evaluates a flag through a relay. npm reuses its cache (--prefer-offline)
 * and reaches the registry only for what the cache lacks.
 */

/** Clone, install and build on a 2-core machine shared by other test runs: generous, bounds a hang. */
const SLOW_STEP_MS = 10 * 60_000;
const NPM_INSTALL_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund'];
const PUBLISHED = ['core', 'protocol', 'openfeature-server', 'openfeature-web', 'console', 'relay'];
/** What a published package's files must never be: tests, test helpers, contract suites. */
const TEST_FILE = /(\.spec\.|\.test-helper\.|-contract\.)/;
/** Test support, published only behind a package's `./testing` export (`@switchyard/relay/testing`). */
const TEST_SUPPORT = /([/\\]testing[/\\]|stream-test-client|sample-gradual-flag)/;

const PREMIUM_REPORT = {
  name: 'premium-report',
  enabled: true,
  rolloutConfig: {
    strategy: 'user_attribute',
    targetingRules: [{ attribute: 'plan', operator: 'equals', values: ['premium'] }],
  },
};

describe('a newcomer on a fresh clone', () => {
  let work: string;
  let clone: string;
  let install: CommandResult;
  const relays: RunningRelayCommand[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'switchyard-fresh-clone-'));
    clone = join(work, 'switchyard');
    await run('git', ['clone', '--quiet', REPO_ROOT, clone], { cwd: work });
    install = await run('npm', ['ci', ...NPM_INSTALL_FLAGS], { cwd: clone });
  }, SLOW_STEP_MS);

  afterAll(async () => {
    for (const relay of relays) await relay.stop();
    if (work) await rm(work, { recursive: true, force: true });
  }, SLOW_STEP_MS);

  it('npm ci: no engine warning, and a switchyard command that says to build before the first build', async () => {
    expect(`${install.stdout}${install.stderr}`).not.toMatch(/EBADENGINE|Unsupported engine/);
    const early = await run('npx', ['switchyard', 'list'], { cwd: clone, allowFailure: true });
    expect(early.code).toBe(1);
    expect(early.stderr).toContain(
      'error: the switchyard CLI is not built yet (relay/dist/cli/main.js is missing): run `npm run build`',
    );
  });

  it(
    "runs the README's steps: npm start, a flag over REST, then npx switchyard list --api-key",
    async () => {
      const relay = await startRelayCommand('npm', ['start'], { cwd: clone, env: {} });
      relays.push(relay);
      const key = (await readFile(join(clone, '.switchyard/admin-key'), 'utf8')).trim();
      const created = await fetch(`${relay.url}/api/v1/feature-flags`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'new-dashboard',
          enabled: true,
          rolloutConfig: { strategy: 'percentage', percentage: 25 },
        }),
      });
      expect(created.status).toBe(201);
      const listed = await run('npx', ['switchyard', 'list', '--api-key', key], {
        cwd: clone,
        env: { SWITCHYARD_URL: relay.url },
      });
      expect(listed.stdout).toMatch(/^NAME\s+ENVIRONMENTS\s/);
      expect(listed.stdout).toMatch(/\nnew-dashboard\s+\*:on\s/);
    },
    SLOW_STEP_MS,
  );

  it(
    'npm run pack: tarballs an app outside the repository installs, with types, to evaluate through the packed relay',
    async () => {
      await run('npm', ['run', 'pack'], { cwd: clone });
      const tarballs = (await readdir(join(clone, 'packages-dist'))).sort();
      expect(tarballs).toEqual(PUBLISHED.map((name) => `switchyard-${name}-0.1.0.tgz`).sort());

      const app = join(work, 'scratch-app');
      await mkdir(app);
      await writeFile(
        join(app, 'package.json'),
        JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }),
      );
      await run(
        'npm',
        [
          'install',
          ...NPM_INSTALL_FLAGS,
          ...tarballs.map((file) => join(clone, 'packages-dist', file)),
          '@openfeature/server-sdk@^1.23.0',
          '@openfeature/web-sdk@^1.10.0',
        ],
        { cwd: app },
      );
      for (const name of PUBLISHED)
        await expectPublishable(
          join(app, 'node_modules/@switchyard', name),
          name === 'console' ? ['dist/index.html'] : ['dist/index.js', 'dist/index.d.ts'],
        );

      // Types resolve through each package's exports (an untyped import fails with TS7016 under strict).
      await writeFile(
        join(app, 'types-check.ts'),
        [
          "import { SwitchyardProvider } from '@switchyard/openfeature-server';",
          "import { SwitchyardWebProvider } from '@switchyard/openfeature-web';",
          "import { evaluateFlag } from '@switchyard/core';",
          "import { startRelay } from '@switchyard/relay';",
          "export const server: SwitchyardProvider = new SwitchyardProvider({ relayUrl: 'http://localhost:8080', sdkKey: 'key' });",
          "export const web: SwitchyardWebProvider = new SwitchyardWebProvider({ relayUrl: 'http://localhost:8080', clientKey: 'key' });",
          'export const used = [evaluateFlag, startRelay];',
        ].join('\n'),
      );
      await writeFile(
        join(app, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            module: 'nodenext',
            moduleResolution: 'nodenext',
            target: 'es2022',
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            types: [],
          },
          files: ['types-check.ts'],
        }),
      );
      await run(process.execPath, [join(clone, 'node_modules/typescript/bin/tsc'), '-p', app], { cwd: app });

      const adminKey = 'scratch-app-admin-key-0123456789';
      const relay = await startRelayCommand(join(app, 'node_modules/.bin/switchyard'), ['serve'], {
        cwd: app,
        env: { SWITCHYARD_DATA_DIR: join(app, 'relay-data'), SWITCHYARD_ADMIN_KEY: adminKey },
      });
      relays.push(relay);
      const consolePage = await fetch(`${relay.url}/`);
      expect([consolePage.status, consolePage.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
      const admin = async (path: string, body: unknown) => {
        const response = await fetch(`${relay.url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(response.status, `${path}: ${await response.clone().text()}`).toBeLessThan(300);
        return (await response.json()) as Record<string, unknown>;
      };
      await admin('/api/v1/feature-flags', PREMIUM_REPORT);
      const serverKey = String(
        (await admin('/api/v1/api-keys', { name: 'scratch-app', role: 'server', environment: 'production' })).key,
      );
      const relayAnswer = async (plan: string) =>
        (
          await admin('/api/v1/feature-flags/evaluate', {
            flagName: PREMIUM_REPORT.name,
            environment: 'production',
            userContext: { userId: `user-${plan}`, plan },
          })
        ).value;

      await writeFile(
        join(app, 'evaluate.mjs'),
        `import { OpenFeature } from '@openfeature/server-sdk';
import { SwitchyardProvider } from '@switchyard/openfeature-server';
const [relayUrl, sdkKey] = process.argv.slice(2);
await OpenFeature.setProviderAndWait(new SwitchyardProvider({ relayUrl, sdkKey, enableAnalytics: false }));
const client = OpenFeature.getClient();
const answers = {};
for (const plan of ['premium', 'free']) {
  const details = await client.getBooleanDetails('${PREMIUM_REPORT.name}', false, { targetingKey: 'user-' + plan, plan });
  answers[plan] = { value: details.value, errorCode: details.errorCode ?? null };
}
const web = await import('@switchyard/openfeature-web');
answers.webProvider = typeof web.SwitchyardWebProvider;
await OpenFeature.close();
console.log(JSON.stringify(answers));
`,
      );
      const evaluated = await run(process.execPath, ['evaluate.mjs', relay.url, serverKey], { cwd: app });
      const answers = JSON.parse(evaluated.stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
      expect(answers).toEqual({
        premium: { value: true, errorCode: null },
        free: { value: false, errorCode: null },
        webProvider: 'function',
      });
      expect([await relayAnswer('premium'), await relayAnswer('free')]).toEqual([true, false]);
    },
    SLOW_STEP_MS,
  );
});

/** An installed package: README, LICENSE, its entry (with types), and nothing of the tests. */
async function expectPublishable(directory: string, entry: string[]): Promise<void> {
  const files = await filesUnder(directory);
  expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', ...entry]));
  expect(files.filter((file) => TEST_FILE.test(file))).toEqual([]);
  const manifest = JSON.parse(await readFile(join(directory, 'package.json'), 'utf8')) as { exports?: object };
  if (!(manifest.exports && './testing' in manifest.exports)) {
    expect(files.filter((file) => TEST_SUPPORT.test(file))).toEqual([]);
  }
  for (const file of files.filter((name) => name.endsWith('.js'))) {
    expect(await readFile(join(directory, file), 'utf8'), `${directory}/${file}`).not.toMatch(/from ['"]vitest['"]/);
  }
}

async function filesUnder(directory: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(join(directory, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') files.push(...(await filesUnder(directory, path)));
    } else files.push(path);
  }
  return files;
}
