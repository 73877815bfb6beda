import { describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS, jsonOf, runCli, type CliRun } from './testing/run-cli.js';
import { useTestRelay } from './testing/test-relay.js';

interface FlagJson {
  name: string;
  version: number;
  description: string;
  variants: { name: string; weight: number; value: unknown }[];
  environments: Record<string, { enabled: boolean; rules: Record<string, unknown>[] }>;
}

const relay = useTestRelay();
const { cli } = relay;

function expectSuccess(run: CliRun): void {
  expect(run.stderr, run.stderr).toBe('');
  expect(run.code).toBe(0);
}

describe('flag commands against a real relay', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it("when creating a flag with the seed's command, then it exists, off, at version 1", async () => {
    const created = await cli('create', '--name', 'my-feature', '--description', 'My feature');
    expectSuccess(created);
    expect(created.stdout).toContain('Created flag my-feature (version 1).');
    expect(created.stdout).toMatch(/description\s+My feature/);

    const flag = jsonOf<FlagJson>(await cli('get', '--name', 'my-feature', '--json'));
    expect(flag).toMatchObject({ name: 'my-feature', description: 'My feature', version: 1 });
    expect(Object.values(flag.environments).every((config) => !config.enabled)).toBe(true);
  });

  it("when creating from a file in the seed's shape, then the relay holds it in the canonical shape", async () => {
    const yaml = [
      'description: Beta feature',
      'enabled: true',
      'environments: [development, staging]',
      'rolloutConfig:',
      '  strategy: user_attribute',
      '  targetingRules:',
      '    - {attribute: country, operator: in, values: [US, CA]}',
      '',
    ].join('\n');
    const flag = jsonOf<FlagJson>(
      await runCli(relay.target, ['create', '--name', 'beta-feature', '--file', '-', '--json'], { stdin: yaml }),
    );
    expect(Object.keys(flag.environments).sort()).toEqual(['development', 'staging']);
    expect(flag.environments.staging).toMatchObject({ enabled: true, rules: [{ strategy: 'user_attribute' }] });

    const mismatch = await runCli(relay.target, ['create', '--name', 'other-name', '--file', '-'], {
      stdin: 'name: beta-feature\n',
    });
    expect(mismatch).toMatchObject({
      code: 2,
      stderr: 'error: standard input names flag "beta-feature" but --name is "other-name": make them agree\n',
    });
  });

  it('when listing, then the table has aligned columns and --json gives the flags', async () => {
    await cli('create', '--name', 'list-me', '--description', 'for the list', '--tags', 'listing');
    const table = await cli('list');
    expectSuccess(table);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+ENVIRONMENTS\s+CLIENTS\s+VERSION\s+DESCRIPTION$/);
    const row = lines.find((line) => line.startsWith('list-me'));
    expect(row?.indexOf('for the list')).toBe(lines[0]?.indexOf('DESCRIPTION'));

    const tagged = jsonOf<FlagJson[]>(await cli('list', '--tag', 'listing', '--json'));
    expect(tagged.map((flag) => flag.name)).toEqual(['list-me']);
  });

  it("when enabling with the seed's --percentage 50, then the environment is on for 50% of users", async () => {
    await cli('create', '--name', 'rollout', '--env', 'staging');
    const enabled = await cli('enable', '--name', 'rollout', '--percentage', '50', '--env', 'staging');
    expectSuccess(enabled);
    expect(enabled.stdout).toContain('Enabled rollout in environment "staging"');
    expect(enabled.stdout).toContain('50% of users');

    const flag = jsonOf<FlagJson>(await cli('get', '--name', 'rollout', '--json'));
    expect(flag.environments.staging?.enabled).toBe(true);
    expect(flag.environments.staging?.rules[0]).toMatchObject({ strategy: 'percentage', percentage: 50 });

    const disabled = jsonOf<FlagJson>(await cli('disable', '--name', 'rollout', '--env', 'staging', '--json'));
    expect(disabled.environments.staging?.enabled).toBe(false);
    expect(disabled.version).toBe(flag.version + 1);
  });

  it('when updating users, rules, gradual settings and variants, then the relay holds them', async () => {
    await cli('create', '--name', 'targeted', '--env', 'production', '--enabled');
    const users = jsonOf<FlagJson>(
      await cli('update', '--name', 'targeted', '--env', 'production', '--users', 'alice,bob', '--json'),
    );
    expect(users.environments.production?.rules[0]).toMatchObject({ strategy: 'user_list', userIds: ['alice', 'bob'] });

    const rules = await cli(
      'update',
      '--name',
      'targeted',
      '--env',
      'production',
      '--rule',
      'plan in premium,enterprise',
      '--rule',
      'score greater_than 80',
    );
    expectSuccess(rules);
    expect(rules.stdout).toContain('plan in "premium","enterprise" AND score greater_than 80');

    const gradual = jsonOf<FlagJson>(
      await cli(
        'update',
        '--name',
        'targeted',
        '--env',
        'production',
        '--strategy',
        'gradual',
        '--percentage',
        '10',
        '--increment',
        '5',
        '--period',
        '3600',
        '--json',
      ),
    );
    expect(gradual.environments.production?.rules[0]).toMatchObject({
      strategy: 'gradual',
      gradualIncrement: 5,
      gradualPeriodSeconds: 3600,
    });

    const variants = jsonOf<FlagJson>(
      await cli(
        'update',
        '--name',
        'targeted',
        '--variant',
        'control:50={"color":"blue"}',
        '--variant',
        'treatment:50={"color":"green"}',
        '--json',
      ),
    );
    expect(variants.variants).toEqual([
      { name: 'control', value: { color: 'blue' }, weight: 50 },
      { name: 'treatment', value: { color: 'green' }, weight: 50 },
    ]);

    const both = jsonOf<FlagJson>(
      await cli(
        'update',
        '--name',
        'targeted',
        '--env',
        'production',
        '--variant',
        'on:100=true',
        '--strategy',
        'percentage',
        '--percentage',
        '40',
        '--json',
      ),
    );
    expect(both.version).toBe(variants.version + 1);
    expect(both.variants).toEqual([{ name: 'on', value: true, weight: 100 }]);
    expect(both.environments.production?.rules[0]).toEqual({ strategy: 'percentage', percentage: 40 });
  });

  it('when updating from a YAML file on stdin, then its partial flag is applied', async () => {
    await cli('create', '--name', 'from-file', '--env', 'production');
    const yaml = 'description: set from YAML\nrolloutConfig:\n  strategy: user_list\n  userIds: [carol]\n';
    const run = await runCli(
      relay.target,
      ['update', '--name', 'from-file', '--env', 'production', '--file', '-', '--json'],
      { stdin: yaml },
    );
    const flag = jsonOf<FlagJson>(run);
    expect(flag.description).toBe('set from YAML');
    expect(flag.environments.production?.rules[0]).toMatchObject({ userIds: ['carol'] });
  });

  it('when evaluating for a user with attributes, then the result is what the relay serves', async () => {
    await cli('create', '--name', 'premium-only', '--env', 'production', '--enabled', '--rule', 'plan equals premium');
    const premium = await cli(
      'evaluate',
      '--name',
      'premium-only',
      '--user',
      'u1',
      '--attr',
      'plan=premium',
      '--env',
      'production',
    );
    expectSuccess(premium);
    expect(premium.stdout).toMatch(/^FLAG\s+VALUE\s+VARIANT\s+ENABLED\s+REASON/);
    expect(premium.stdout).toMatch(/premium-only\s+true\s+on\s+on\s+TARGETING_MATCH/);

    const free = jsonOf<{ value: unknown; enabled: boolean }>(
      await cli(
        'evaluate',
        '--name',
        'premium-only',
        '--user',
        'u1',
        '--attr',
        'plan=free',
        '--env',
        'production',
        '--json',
      ),
    );
    expect(free).toMatchObject({ value: false, enabled: false });

    const all = jsonOf<Record<string, { value: unknown }>>(
      await cli('evaluate', '--user', 'u1', '--attr', 'plan=premium', '--env', 'production', '--json'),
    );
    expect(all['premium-only']?.value).toBe(true);
  });

  it('when a flag changed several times, then history lists each version and rollback restores one', async () => {
    await cli('create', '--name', 'versions', '--env', 'production', '--description', 'v1');
    await cli('update', '--name', 'versions', '--env', 'production', '--description', 'v2');
    await cli('update', '--name', 'versions', '--env', 'production', '--description', 'v3');
    const history = await cli('history', '--name', 'versions');
    expectSuccess(history);
    expect(history.stdout).toMatch(/^VERSION\s+UPDATED\s+ENVIRONMENTS/);
    expect(
      jsonOf<FlagJson[]>(await cli('history', '--name', 'versions', '--json')).map((flag) => flag.description),
    ).toEqual(['v1', 'v2', 'v3']);

    const rollback = await cli('rollback', '--name', 'versions', '--version', '1');
    expectSuccess(rollback);
    expect(rollback.stdout).toContain("back to version 1's configuration (now version 4)");
    expect(jsonOf<FlagJson>(await cli('get', '--name', 'versions', '--json')).description).toBe('v1');
  });

  it('when getting a flag, then its fields, variants and environments read as aligned blocks', async () => {
    await cli(
      'create',
      '--name',
      'shown',
      '--description',
      'Shown flag',
      '--tags',
      'a,b',
      '--env',
      'production',
      '--enabled',
      '--percentage',
      '20',
      '--variant',
      'blue:50="#00f"',
      '--variant',
      'green:50="#0f0"',
    );
    const run = await cli('get', '--name', 'shown');
    expectSuccess(run);
    expect(run.stdout).toBe(
      [
        'name         shown',
        'description  Shown flag',
        'type         string',
        'version      1',
        'tags         a, b',
        'clients      relay default (SWITCHYARD_FLAG_CLIENT_VISIBLE_DEFAULT)',
        `updated      ${jsonOf<{ updatedAt: string }>(await cli('get', '--name', 'shown', '--json')).updatedAt}`,
        '',
        'VARIANT  WEIGHT  VALUE',
        'blue     50%     "#00f"',
        'green    50%     "#0f0"',
        '',
        'ENVIRONMENT  ENABLED  ROLLOUT',
        'production   on       20% of users',
        '',
      ].join('\n'),
    );
  });

  it('when a flag is created or updated with --client-visible, then the relay keeps it and get and list show it', async () => {
    const created = await cli('create', '--name', 'server-only', '--client-visible', 'false', '--json');
    expect(jsonOf<{ clientVisible?: boolean }>(created).clientVisible).toBe(false);
    expect((await cli('get', '--name', 'server-only')).stdout).toMatch(/^clients\s+hidden \(server keys only\)$/m);
    const listed = (await cli('list')).stdout.split('\n');
    const clientsAt = listed[0]!.indexOf('CLIENTS');
    expect(listed.find((line) => line.startsWith('server-only'))?.slice(clientsAt, clientsAt + 6)).toBe('hidden');
    expectSuccess(await cli('update', '--name', 'server-only', '--client-visible', 'true'));
    expect((await cli('get', '--name', 'server-only')).stdout).toMatch(/^clients\s+visible$/m);
    const wrong = await cli('update', '--name', 'server-only', '--client-visible', 'nope');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('expected true or false');
  });

  it('when a flag shared by every environment (*) is enabled or updated without --env, then every environment changes and the output says so', async () => {
    const created = await cli('create', '--name', 'shared-rollout', '--percentage', '10');
    expect(created.stdout).toContain('Affected environments: development, staging, production');
    const enabled = await cli('enable', '--name', 'shared-rollout', '--percentage', '30');
    expectSuccess(enabled);
    expect(enabled.stdout).toContain('Affected environments: development, staging, production');
    expect(jsonOf<FlagJson>(await cli('get', '--name', 'shared-rollout', '--json')).environments['*']?.rules).toEqual([
      { strategy: 'percentage', percentage: 30 },
    ]);
    // Variants need a PUT of the whole flag: the CLI applies the rollout part where the relay's PATCH would, to *.
    const updated = await cli('update', '--name', 'shared-rollout', '--variant', 'on:100=true', '--percentage', '40');
    expectSuccess(updated);
    expect(updated.stdout).toContain('Affected environments: development, staging, production');
    const flag = jsonOf<FlagJson>(await cli('get', '--name', 'shared-rollout', '--json'));
    expect(Object.keys(flag.environments)).toEqual(['*']);
    expect(flag.environments['*']).toMatchObject({
      enabled: true,
      rules: [{ strategy: 'percentage', percentage: 40 }],
    });
    const described = await cli('update', '--name', 'shared-rollout', '--description', 'words only');
    expect(described.stdout).toContain('Affected environments: none');
  });

  it('when --json is given, then every writing command prints the resulting document and nothing else', async () => {
    const created = jsonOf<FlagJson>(await cli('create', '--name', 'scripted', '--env', 'staging', '--json'));
    expect(created).toMatchObject({ name: 'scripted', version: 1 });
    const enabled = jsonOf<FlagJson>(await cli('enable', '--name', 'scripted', '--env', 'staging', '--json'));
    expect(enabled.environments.staging?.enabled).toBe(true);
    const disabled = await cli('disable', '--name', 'scripted', '--env', 'staging');
    expect(disabled.stdout).toBe(
      'Disabled scripted in environment "staging" (version 3).\nAffected environments: staging\noff  everyone\n',
    );
    const rolledBack = jsonOf<FlagJson>(await cli('rollback', '--name', 'scripted', '--version', '2', '--json'));
    expect(rolledBack).toMatchObject({ version: 4 });
    expect(rolledBack.environments.staging?.enabled).toBe(true);
    expect(jsonOf(await cli('delete', '--name', 'scripted', '--yes', '--json'))).toEqual({
      deleted: 'scripted',
      environment: null,
      affectedEnvironments: ['staging'],
    });
  });

  it('when deleting with --yes, then the flag is gone; without --yes off a terminal, nothing happens', async () => {
    await cli('create', '--name', 'doomed');
    const refused = await cli('delete', '--name', 'doomed');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('error: refusing to delete without confirmation: pass --yes when not on a terminal\n');

    const deleted = await cli('delete', '--name', 'doomed', '--yes');
    expectSuccess(deleted);
    expect(deleted.stdout).toBe('Deleted flag "doomed".\nAffected environments: development, staging, production\n');
    expect((await cli('get', '--name', 'doomed')).code).toBe(5);
  });

  it('when deleting with --env, then only that environment goes; an environment the flag lacks is not found', async () => {
    await cli('create', '--name', 'two-envs', '--env', 'production');
    await cli('enable', '--name', 'two-envs', '--env', 'staging');
    const deleted = await cli('delete', '--name', 'two-envs', '--env', 'staging', '--yes');
    expectSuccess(deleted);
    expect(deleted.stdout).toBe(
      'Deleted the "staging" configuration of flag "two-envs".\nAffected environments: staging\n',
    );
    expect(Object.keys(jsonOf<FlagJson>(await cli('get', '--name', 'two-envs', '--json')).environments)).toEqual([
      'production',
    ]);

    const missing = await cli('delete', '--name', 'two-envs', '--env', 'development', '--yes');
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain('flag "two-envs" not found in environment "development"');
  });
});
