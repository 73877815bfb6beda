import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FileStore } from '../store/file/file-store.js';
import { sampleFlag } from '../testing/sample-flag.js';
import { assertCliBuilt, CLI_TEST_TIMEOUT_MS, jsonOf, runCli, runCliOnTerminal } from './testing/run-cli.js';
import { startTestRelay, type TestRelay } from './testing/test-relay.js';

const DAY = 86_400_000;

interface StaleJson {
  days: number;
  flags: { flagName: string; reason: string; owner: string | null; evaluations: number }[];
}

/**
 * Cleanup as the seed describes it: find stale flags, then delete them, warned when a flag is still
 * in use. The relay starts on a store holding flags created 40 days ago (written before it starts).
 */
describe('flag cleanup from the command line', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let dataDir: string;
  let relay: TestRelay;
  const cli = (...args: string[]) => runCli(relay.target, args);
  const flagExists = async (name: string) => (await cli('get', '--name', name)).code === 0;

  beforeAll(async () => {
    assertCliBuilt();
    dataDir = await mkdtemp(join(tmpdir(), 'switchyard-cli-cleanup-'));
    const store = await FileStore.open({ dataDir });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() - 40 * DAY });
    try {
      await store.flags.create(sampleFlag('unused', { owner: 'team-a' }));
      await store.flags.create(
        sampleFlag('on-for-all', {
          environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
        }),
      );
      const alice = {
        enabled: true,
        rules: [{ strategy: 'user_list' as const, userIds: ['alice'] }],
        fallthrough: { serve: false },
      };
      await store.flags.create(sampleFlag('split', { environments: { production: alice } }));
    } finally {
      vi.useRealTimers();
      await store.close();
    }
    relay = await startTestRelay({ dataDir });
    for (const user of ['alice', 'bob']) {
      for (const flag of ['on-for-all', 'split'])
        expect((await cli('evaluate', '--name', flag, '--user', user, '--env', 'production')).code).toBe(0);
    }
  }, CLI_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await relay?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }, CLI_TEST_TIMEOUT_MS);

  it('when flags went unused or served everyone alike, then `stale` lists them with why and the owner; the others not', async () => {
    await cli('create', '--name', 'brand-new');
    const report = jsonOf<StaleJson>(await cli('stale', '--days', '30', '--json'));
    expect(report.days).toBe(30);
    expect(report.flags.map((flag) => [flag.flagName, flag.reason, flag.owner, flag.evaluations])).toEqual([
      ['on-for-all', 'always-enabled', null, 2],
      ['unused', 'not-evaluated', 'team-a', 0],
    ]);

    const human = await cli('stale');
    expect(human).toMatchObject({ code: 0, stderr: '' });
    expect(human.stdout).toMatch(
      /^Flags ready for cleanup: the last 30 days, since \S+\n\nFLAG\s+WHY\s+OWNER\s+LAST EVALUATED\s+EVALUATIONS\s+CREATED\n/,
    );
    expect(human.stdout).toMatch(/\nunused\s+not evaluated\s+team-a\s+never\s+0\s/);
    expect(human.stdout).toMatch(/\non-for-all\s+on for everyone\s+-\s+\S+\s+2\s/);

    const none = await cli('stale', '--days', '60');
    expect(none.stdout).toContain('no stale flags: every flag older than 60 days');
    expect((await cli('stale', '--days', '0')).code).toBe(2);
  });

  it('when a flag is partly rolled out or was evaluated lately, then delete off a terminal refuses without --yes and says why', async () => {
    const partly = await cli('delete', '--name', 'unused');
    expect(partly).toMatchObject({ code: 2, stdout: '' });
    expect(partly.stderr).toBe(
      'error: refusing to delete flag "unused" without confirmation: it is still partly rolled out in production (50% of users): pass --yes to delete it anyway\n',
    );
    await cli('create', '--name', 'shared', '--enabled', '--percentage', '30');
    expect((await cli('delete', '--name', 'shared')).stderr).toBe(
      'error: refusing to delete flag "shared" without confirmation: it is still partly rolled out in every environment without its own configuration (30% of users): pass --yes to delete it anyway\n',
    );
    const used = await cli('delete', '--name', 'split', '--days', '3');
    expect(used.code).toBe(2);
    expect(used.stderr).toMatch(
      /^error: refusing to delete flag "split" without confirmation: it is still partly rolled out in production \(users alice\); it was evaluated 2 times in the last 3 days \(most recently in the day starting \S+\): pass --yes to delete it anyway\n$/,
    );
    expect(await flagExists('split')).toBe(true);
    expect((await cli('delete', '--name', 'split', '--yes')).stdout).toBe(
      'Deleted flag "split".\nAffected environments: production\n',
    );
    expect(await flagExists('split')).toBe(false);
  });

  it('when deleting on a terminal, then the reasons are warnings before the question, and only "y" deletes', async () => {
    const declined = await runCliOnTerminal(relay.target, ['delete', '--name', 'on-for-all'], 'n\n');
    expect(declined.code).toBe(2);
    expect(stripVTControlCharacters(declined.output)).toMatch(
      /warning: it was evaluated 2 times in the last 7 days \(most recently in the day starting \S+\)\nDelete flag "on-for-all" anyway\? \[y\/N\] /,
    );
    expect(declined.output).toContain('error: not deleted: the answer was not "yes"');
    expect(await flagExists('on-for-all')).toBe(true);

    const accepted = await runCliOnTerminal(relay.target, ['delete', '--name', 'on-for-all'], 'y\n');
    expect(accepted.code).toBe(0);
    expect(accepted.output).toContain('Deleted flag "on-for-all".');
    expect(await flagExists('on-for-all')).toBe(false);
  });

  it('when the relay has analytics switched off, then stale says so, and delete counts not knowing as a reason', async () => {
    const quiet = await startTestRelay({ analyticsEnabled: false });
    try {
      const stale = await runCli(quiet.target, ['stale']);
      expect(stale).toMatchObject({ code: 1, stdout: '' });
      expect(stale.stderr).toBe(
        'error: usage analytics are switched off on this relay (SWITCHYARD_ANALYTICS_ENABLED=false)\n',
      );
      await runCli(quiet.target, ['create', '--name', 'dark']);
      const refused = await runCli(quiet.target, ['delete', '--name', 'dark']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toBe(
        'error: refusing to delete flag "dark" without confirmation: whether it is still evaluated is unknown ' +
          '(usage analytics are switched off on this relay (SWITCHYARD_ANALYTICS_ENABLED=false)): pass --yes to delete it anyway\n',
      );
    } finally {
      await quiet.stop();
    }
  });
});
