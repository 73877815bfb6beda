import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from '../../store/file/file-store.js';
import { emptyCounters, type VariantEvaluations } from '../../store/usage/usage-store.js';
import { sampleFlag } from '../../testing/sample-flag.js';
import { hourStartOf } from '../usage/usage-aggregator.js';
import { staleFlagsReport } from './stale-flags.js';

const DAY = 86_400_000;

describe('staleFlagsReport', () => {
  let dataDir: string;
  let store: FileStore;
  /** Ten days after the flags were created. */
  const later = Date.now() + 10 * DAY;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'switchyard-stale-'));
    store = await FileStore.open({ dataDir });
    for (const name of ['unused', 'gone-quiet', 'fully-on', 'fully-off', 'ab-test', 'mixed']) {
      await store.flags.create(sampleFlag(name, { owner: `${name}-owner` }));
    }
  });
  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function evaluated(
    flagName: string,
    daysBeforeLater: number,
    evaluations: Record<string, VariantEvaluations>,
  ): Promise<void> {
    const hourStart = hourStartOf(later - daysBeforeLater * DAY);
    await store.usage.apply({
      counters: [{ flagName, environment: 'production', hourStart, ...emptyCounters(), evaluations }],
      uniques: [],
      exactLimit: 100,
    });
  }

  it('when flags went unused or served everyone alike for the window, then they are listed with owner and reason', async () => {
    await evaluated('gone-quiet', 9, { on: { enabled: 5, disabled: 5 } });
    await evaluated('fully-on', 2, { on: { enabled: 40, disabled: 0 } });
    await evaluated('fully-off', 3, { '(none)': { enabled: 0, disabled: 12 } });
    await evaluated('ab-test', 1, { control: { enabled: 10, disabled: 0 }, treatment: { enabled: 10, disabled: 0 } });
    await evaluated('mixed', 1, { on: { enabled: 3, disabled: 1 } });
    const report = await staleFlagsReport({ flags: store.flags, usage: store.usage, now: () => later }, 7);
    const byName = Object.fromEntries(report.flags.map((flag) => [flag.flagName, flag]));
    expect(Object.keys(byName).sort()).toEqual(['fully-off', 'fully-on', 'gone-quiet', 'unused']);
    expect(byName['unused']).toMatchObject({
      reason: 'not-evaluated',
      owner: 'unused-owner',
      lastEvaluatedAt: null,
      evaluations: 0,
    });
    expect(byName['gone-quiet']).toMatchObject({
      reason: 'not-evaluated',
      lastEvaluatedAt: hourStartOf(later - 9 * DAY),
    });
    expect(byName['fully-on']).toMatchObject({ reason: 'always-enabled', evaluations: 40, enabledCount: 40 });
    expect(byName['fully-off']).toMatchObject({ reason: 'always-disabled', disabledCount: 12 });
  });

  it('when flags are younger than the window, then they are left out', async () => {
    const report = await staleFlagsReport({ flags: store.flags, usage: store.usage, now: () => later }, 30);
    expect(report.flags).toEqual([]);
  });
});
