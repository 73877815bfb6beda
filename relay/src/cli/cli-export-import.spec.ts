import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { assertCliBuilt, CLI_TEST_TIMEOUT_MS, jsonOf, runCli, type CliRun } from './testing/run-cli.js';
import { startTestRelay, type TestRelay } from './testing/test-relay.js';

interface ImportJson {
  created: string[];
  updated: string[];
  deleted: string[];
  unchanged: string[];
}

let source: TestRelay;
let target: TestRelay;
let dir: string;
const from = (...args: string[]): Promise<CliRun> => runCli(source.target, args);
const to = (...args: string[]): Promise<CliRun> => runCli(target.target, args);

beforeAll(async () => {
  assertCliBuilt();
  [source, target] = await Promise.all([startTestRelay(), startTestRelay()]);
  dir = await mkdtemp(join(tmpdir(), 'switchyard-cli-export-'));
  await from('create', '--name', 'plain', '--description', 'a plain flag');
  await from(
    'create',
    '--name',
    'targeted',
    '--env',
    'production',
    '--enabled',
    '--rule',
    'plan in premium,enterprise',
    '--tags',
    'billing',
  );
  await from('create', '--name', 'rollout', '--env', 'staging', '--enabled', '--percentage', '30');
  await from(
    'create',
    '--name',
    'ab-test',
    '--type',
    'object',
    '--env',
    'production',
    '--enabled',
    '--variant',
    'control:50={"color":"blue"}',
    '--variant',
    'treatment:50={"color":"green"}',
  );
}, CLI_TEST_TIMEOUT_MS);
afterAll(async () => {
  await Promise.all([source?.stop(), target?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
}, CLI_TEST_TIMEOUT_MS);

describe('export and import', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('when exported as YAML and imported into an empty relay, then both relays export identical flags', async () => {
    const file = join(dir, 'flags.yaml');
    // Test relays answer 2 flags per page: all 4 arrive only if export follows the cursor.
    const exported = await from('export', '--output', file);
    expect(exported).toMatchObject({ code: 0, stderr: `Exported 4 flag(s) to ${file}.\n` });

    const imported = await to('import', '--file', file);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('Import done: 4 created, 0 updated, 0 deleted, 0 unchanged.');

    const before = parseYaml((await from('export', '--format', 'yaml')).stdout) as { flags: { name: string }[] };
    const after = parseYaml((await to('export', '--format', 'yaml')).stdout) as { flags: { name: string }[] };
    expect(after).toEqual(before);
    expect(before.flags.map((flag) => flag.name)).toEqual(['ab-test', 'plain', 'rollout', 'targeted']);
  });

  it('when the same import runs twice, then the second run changes nothing', async () => {
    const file = join(dir, 'twice.json');
    await from('export', '--output', file);
    await to('import', '--file', file);
    const versions = jsonOf<{ name: string; version: number }[]>(await to('list', '--json'));

    const exported = await from('export');
    const second = jsonOf<ImportJson>(
      await runCli(target.target, ['import', '--file', '-', '--json'], { stdin: exported.stdout }),
    );
    expect(second).toMatchObject({ created: [], updated: [], deleted: [] });
    expect(second.unchanged).toHaveLength(4);
    expect(jsonOf<{ name: string; version: number }[]>(await to('list', '--json'))).toEqual(versions);
    const human = await to('import', '--file', file);
    expect(human.stdout).toBe(
      'nothing to change: the relay already holds these flags\nImport done: 0 created, 0 updated, 0 deleted, 4 unchanged.\n',
    );
  });

  it('when a flag in the file changed, then only it is updated; --dry-run writes nothing; --prune deletes extras', async () => {
    const file = join(dir, 'edited.json');
    await from('export', '--output', file);
    await to('import', '--file', file);
    await to('create', '--name', 'extra');
    await from('update', '--name', 'plain', '--description', 'edited at the source');
    await from('export', '--output', file);

    const dry = jsonOf<ImportJson & { dryRun: boolean }>(
      await to('import', '--file', file, '--dry-run', '--prune', '--json'),
    );
    expect(dry).toMatchObject({ dryRun: true, created: [], updated: ['plain'], deleted: ['extra'] });
    expect((await to('get', '--name', 'extra')).code).toBe(0);

    const applied = await to('import', '--file', file, '--prune');
    expect(applied.stdout).toMatch(/^FLAG\s+DONE\s+AFFECTED ENVIRONMENTS$/m);
    expect(applied.stdout).toMatch(/^plain\s+updated\s+none$/m);
    expect(applied.stdout).toMatch(/^extra\s+deleted\s+development, staging, production$/m);
    expect(applied.stdout).toContain('Import done: 0 created, 1 updated, 1 deleted, 3 unchanged.');
    expect((await to('get', '--name', 'extra')).code).toBe(5);
  });

  it('when one flag of the file is invalid, then nothing is written and the error names its field', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(
      file,
      'flags:\n  - name: good-one\n  - name: bad-one\n    rolloutConfig:\n      strategy: percentage\n      percentage: 150\n',
    );
    const before = jsonOf<unknown[]>(await to('list', '--json'));
    const run = await to('import', '--file', file);
    expect(run.code).toBe(6);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      new RegExp(
        `^error: invalid input: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: flags\\[1\\]\\S*percentage: .+\n$`,
      ),
    );
    expect(jsonOf<unknown[]>(await to('list', '--json'))).toEqual(before);
  });

  it('when a flag configures an environment the relay does not have, then the relay says so before any write', async () => {
    const file = join(dir, 'unknown-env.json');
    const flags = [
      { name: 'fine', environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } } },
      { name: 'elsewhere', environments: { qa: { enabled: true, rules: [], fallthrough: { serve: true } } } },
    ];
    await writeFile(file, JSON.stringify({ flags }));
    const run = await to('import', '--file', file);
    expect(run).toMatchObject({ code: 6, stdout: '' });
    expect(run.stderr).toBe(
      `error: invalid input: ${file}: flags[1].environments.qa: the relay has no environment "qa" (expected one of development, staging, production)\n`,
    );
    expect((await to('get', '--name', 'fine')).code).toBe(5);
  });

  it('when the file is not YAML or has no flags, then exit 2 says what the file should hold', async () => {
    const file = join(dir, 'not-flags.json');
    await writeFile(file, '{"hello": "world"}');
    const run = await to('import', '--file', file);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe(
      `error: ${file} should hold {"flags": [...]} (as \`switchyard export\` writes) or a list of flags\n`,
    );

    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'flags: [unclosed\n');
    const unreadable = await to('import', '--file', broken);
    expect(unreadable).toMatchObject({ code: 2, stdout: '' });
    expect(unreadable.stderr).toMatch(
      new RegExp(`^error: ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid YAML: .+\n$`),
    );
    const missing = await to('import', '--file', join(dir, 'no-such-file.json'));
    expect(missing.stderr).toMatch(/^error: cannot read \S+no-such-file\.json \(ENOENT\): check the path\n$/);
  });
});
