import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, CLI_TEST_TIMEOUT_MS, jsonOf, runCli, type CliRun } from './testing/run-cli.js';
import { startTestRelay, type TestRelay } from './testing/test-relay.js';

interface KeyJson {
  id: string;
  name: string;
  role: string;
  environment?: string;
  key?: string;
  revokedAt?: string;
}

let relay: TestRelay;
const cli = (...args: string[]): Promise<CliRun> => runCli(relay.target, args);

beforeAll(async () => {
  assertCliBuilt();
  relay = await startTestRelay();
}, CLI_TEST_TIMEOUT_MS);
afterAll(async () => relay?.stop(), CLI_TEST_TIMEOUT_MS);

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
    const created = jsonOf<KeyJson>(await cli('keys', 'create', '--name', 'web-app', '--role', 'client', '--env', 'staging', '--json'));
    expect(created).toMatchObject({ name: 'web-app', role: 'client', environment: 'staging' });
    expect(created.key).toMatch(/^sy_client_/);
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
    expect(table.stdout).toMatch(/^AT\s+ACTOR\s+ACTION\s+FLAG\s+ENVIRONMENT/);
    expect(table.stdout).toContain('audited');
  });
});
