import { describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS, jsonOf, runCli } from './testing/run-cli.js';
import { startTestRelay, useTestRelay } from './testing/test-relay.js';

interface KeyJson {
  id: string;
  name: string;
  role: string;
  environment?: string;
  key?: string;
  revokedAt?: string;
}

const relay = useTestRelay();
const { cli } = relay;

interface AnalyticsJson {
  flagName: string;
  environment: string | null;
  totalEvaluations: number;
  enabledCount: number;
  uniqueUsers: number;
  timeSeries: { start: string; totalEvaluations: number }[];
}

describe('analytics from the command line', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it("when a flag was evaluated, then the seed's `analytics --days 7` shows the counts, as a report and as JSON", async () => {
    await cli('create', '--name', 'measured', '--env', 'production', '--enabled');
    for (const user of ['u1', 'u2', 'u3', 'u1']) {
      expect((await cli('evaluate', '--name', 'measured', '--user', user, '--env', 'production')).code).toBe(0);
    }
    const report = jsonOf<AnalyticsJson>(
      await cli('analytics', '--name', 'measured', '--days', '7', '--env', 'production', '--json'),
    );
    expect(report).toMatchObject({
      flagName: 'measured',
      environment: 'production',
      totalEvaluations: 4,
      enabledCount: 4,
      uniqueUsers: 3,
    });
    expect(report.timeSeries).toHaveLength(8);

    const human = await cli('analytics', '--name', 'measured', '--days', '7');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^measured in all environments, \S+ to \S+\n/);
    expect(human.stdout).toMatch(/\nevaluations\s+4\nenabled\s+4 \(100\.0%\)\ndisabled\s+0\nunique users\s+3\n/);
    expect(human.stdout).toMatch(/\nDAY\s+EVALUATIONS\s+ENABLED\s+ERRORS\s+UNIQUE USERS\n/);
  });

  it('when the flag is unknown, then exit 5 names the environment searched', async () => {
    const run = await cli('analytics', '--name', 'never-made', '--env', 'staging');
    expect(run).toMatchObject({ code: 5, stdout: '' });
    expect(run.stderr).toContain('flag "never-made" not found in environment "staging"');
  });

  it('when the relay has analytics switched off, then the line says so', async () => {
    const quiet = await startTestRelay({ analyticsEnabled: false });
    try {
      await runCli(quiet.target, ['create', '--name', 'measured']);
      const run = await runCli(quiet.target, ['analytics', '--name', 'measured']);
      expect(run).toMatchObject({ code: 1, stdout: '' });
      expect(run.stderr).toBe(
        'error: usage analytics are switched off on this relay (SWITCHYARD_ANALYTICS_ENABLED=false)\n',
      );
    } finally {
      await quiet.stop();
    }
  });
});

describe('API keys and audit from the command line', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('when a key is created, then its secret is shown once, it works, and after revoking it no longer does', async () => {
    const created = await cli('keys', 'create', '--name', 'ci-deploy', '--role', 'editor');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created API key \S+ \(ci-deploy, editor\)\.\nSecret \(shown only now\): \S+\n$/);
    const secret = /Secret \(shown only now\): (\S+)/.exec(created.stdout)?.[1] ?? '';
    const asEditor = { relayUrl: relay.target.relayUrl, apiKey: secret };
    expect((await runCli(asEditor, ['create', '--name', 'by-editor'])).code).toBe(0);

    const keys = jsonOf<KeyJson[]>(await cli('keys', 'list', '--json'));
    const key = keys.find((candidate) => candidate.name === 'ci-deploy');
    expect(key).toMatchObject({ role: 'editor' });
    expect(JSON.stringify(keys)).not.toContain(secret);

    const table = await cli('keys', 'list');
    expect(table.stdout).toMatch(/^ID\s+NAME\s+ROLE\s+ENVIRONMENT\s+HINT\s+CREATED\s+STATUS/);
    expect(table.stdout).toMatch(/ci-deploy\s+editor\s+-\s+sy_editor_\S+\s+\S+\s+active/);

    const revoked = await cli('keys', 'revoke', '--id', key?.id ?? '');
    expect(revoked).toMatchObject({ code: 0, stdout: `Revoked API key ${key?.id}.\n` });
    const refused = await runCli(asEditor, ['list']);
    expect(refused.code).toBe(4);
  });

  it('when a client key is created for one environment, then the listing says which', async () => {
    const created = jsonOf<KeyJson>(
      await cli('keys', 'create', '--name', 'web-app', '--role', 'client', '--env', 'staging', '--json'),
    );
    expect(created).toMatchObject({ name: 'web-app', role: 'client', environment: 'staging' });
    expect(created.key).toMatch(/^sy_client_/);
    expect(jsonOf(await cli('keys', 'revoke', '--id', created.id, '--json'))).toEqual({ revoked: created.id });
  });

  it('when revoking an unknown key, then exit 5 says to list the ids', async () => {
    const run = await cli('keys', 'revoke', '--id', 'no-such-key');
    expect(run.code).toBe(5);
    expect(run.stderr).toBe('error: no API key with id "no-such-key": `switchyard keys list` shows the ids\n');
  });

  it('when flags change, then the audit shows who did what, newest first, filterable by flag', async () => {
    await cli('create', '--name', 'audited', '--env', 'production');
    await cli('enable', '--name', 'audited', '--env', 'production');
    await cli('create', '--name', 'other');
    const entries = jsonOf<{ actor: string; action: string; flagName?: string; at: string }[]>(
      await cli('audit', '--name', 'audited', '--since', '1h', '--json'),
    );
    expect(entries.length).toBeGreaterThanOrEqual(2);
    expect(entries.every((entry) => entry.flagName === 'audited')).toBe(true);
    expect(entries[0]!.at >= entries[entries.length - 1]!.at).toBe(true);

    const table = await cli('audit', '--name', 'audited');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^AT\s+ACTOR\s+KEY\s+ACTION\s+FLAG\s+ENVIRONMENT/);
    expect(table.stdout).toMatch(/admin \(SWITCHYARD_ADMIN_KEY\)\s+admin [0-9a-f]{16}\s+flag\.create\s+audited/);
  });

  it("when the audit is longer than the relay's page, then every entry is shown, or the newest --limit", async () => {
    await cli('create', '--name', 'long-audit', '--env', 'production');
    for (const command of ['enable', 'disable', 'enable', 'disable'])
      await cli(command, '--name', 'long-audit', '--env', 'production');
    const all = jsonOf<{ action: string }[]>(await cli('audit', '--name', 'long-audit', '--json'));
    expect(all.map((entry) => entry.action)).toEqual([
      'flag.patch',
      'flag.patch',
      'flag.patch',
      'flag.patch',
      'flag.create',
    ]);
    expect(jsonOf<unknown[]>(await cli('audit', '--name', 'long-audit', '--limit', '3', '--json'))).toHaveLength(3);
  });
});
