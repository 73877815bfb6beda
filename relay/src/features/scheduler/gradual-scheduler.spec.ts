import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Flag, RolloutRule } from '@switchyard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from '../../store/file/file-store.js';
import { GradualScheduler } from './gradual-scheduler.js';
import { schedulerOnStore } from './scheduler-on-store.test-helper.js';
import { resumeRollouts } from '../flags/resume-rollouts.js';
import { sampleGradualFlag } from './sample-gradual-flag.js';
import { gradualRollouts } from './scheduler-status.js';

const START = Date.parse('2026-01-01T00:00:00.000Z');
const PERIOD_SECONDS = 5;
const at = (periods: number): Date => new Date(START + periods * PERIOD_SECONDS * 1000);

function gradualFlag(name: string, rule: Partial<RolloutRule> = {}): Flag {
  return sampleGradualFlag(name, {
    startDate: at(0).toISOString(),
    gradualPeriodSeconds: PERIOD_SECONDS,
    maxPercentage: 50,
    ...rule,
  });
}

describe('GradualScheduler', () => {
  let dataDir: string;
  let store: FileStore;

  const rule = async (name: string): Promise<RolloutRule> =>
    (await store.flags.get(name))!.environments.production!.rules[0]!;
  const schedulerAudit = async (name: string) =>
    (await store.audit.list({ flagName: name })).filter((entry) => entry.actor === 'scheduler');

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'switchyard-scheduler-'));
    store = await FileStore.open({ dataDir });
  });
  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('when less than a period has passed, then nothing is written', async () => {
    await store.flags.create(gradualFlag('rollout'));
    const result = await schedulerOnStore(store).scheduler.run(new Date(at(1).getTime() - 1));
    expect(result).toMatchObject({ flagsChecked: 1, stepsApplied: 0 });
    expect((await store.flags.get('rollout'))!.version).toBe(1);
  });

  it('when a period has passed, then one step is stored, audited as the scheduler, read into the flag map and published as any write', async () => {
    await store.flags.create(gradualFlag('rollout'));
    const { scheduler, flags, flagMap } = schedulerOnStore(store);
    const published: Array<number | undefined> = [];
    flags.changes.subscribe((record) => published.push(flagMap.get(record.flagName)?.revision));
    const result = await scheduler.run(at(1));
    expect(result.stepsApplied).toBe(1);
    expect(await rule('rollout')).toMatchObject({ percentage: 10, lastStepAt: at(1).toISOString() });
    const [entry] = await schedulerAudit('rollout');
    expect(entry).toMatchObject({ action: 'flag.gradual-step', environment: 'production', flagName: 'rollout' });
    expect(published).toEqual([(await store.flags.get('rollout'))!.revision]);
  });

  it("when a step would break the relay's flag limits, then it is not written and the run names the flag", async () => {
    await store.flags.create(gradualFlag('rollout-with-a-long-name'));
    const result = await schedulerOnStore(store, { maxNameLength: 10 }).scheduler.run(at(1));
    expect(result).toMatchObject({ stepsApplied: 0, failures: [{ flagName: 'rollout-with-a-long-name' }] });
    expect((await store.flags.get('rollout-with-a-long-name'))!.version).toBe(1);
    expect(await schedulerAudit('rollout-with-a-long-name')).toEqual([]);
  });

  it('when the relay was down for several periods, then one run catches up exactly what is due, never more', async () => {
    await store.flags.create(gradualFlag('rollout'));
    const { scheduler } = schedulerOnStore(store);
    await scheduler.run(at(1));
    await scheduler.run(at(3.7));
    expect(await rule('rollout')).toMatchObject({ percentage: 30, lastStepAt: at(3).toISOString() });
    expect((await scheduler.run(at(3.9))).stepsApplied).toBe(0);
    await scheduler.run(at(4));
    expect((await rule('rollout')).percentage).toBe(40);
    await scheduler.run(at(100));
    expect((await rule('rollout')).percentage).toBe(50);
    expect((await scheduler.run(at(200))).stepsApplied).toBe(0);
    expect(await schedulerAudit('rollout')).toHaveLength(4);
  });

  it('when two relays run at the same moment on one store, then the step is written exactly once', async () => {
    await store.flags.create(gradualFlag('rollout'));
    const results = await Promise.all([
      schedulerOnStore(store).scheduler.run(at(2)),
      schedulerOnStore(store).scheduler.run(at(2)),
    ]);
    expect(results.map((r) => r.stepsApplied).sort()).toEqual([0, 1]);
    expect(results.map((r) => r.conflicts).sort()).toEqual([0, 1]);
    expect((await rule('rollout')).percentage).toBe(20);
    expect(await schedulerAudit('rollout')).toHaveLength(1);
  });

  it('when a rollout is paused, then it stays put; resumed, it continues from where it is, one period later', async () => {
    await store.flags.create(gradualFlag('rollout'));
    const { scheduler } = schedulerOnStore(store);
    await scheduler.run(at(1));
    const running = (await store.flags.get('rollout'))!;
    const paused = structuredClone(running);
    paused.environments.production!.rules[0]!.paused = true;
    await store.flags.update(paused, running.version);
    expect((await scheduler.run(at(10))).stepsApplied).toBe(0);
    expect((await rule('rollout')).percentage).toBe(10);

    const before = (await store.flags.get('rollout'))!;
    const unpaused = structuredClone(before);
    unpaused.environments.production!.rules[0]!.paused = false;
    await store.flags.update(resumeRollouts(before, unpaused, at(10)), before.version);
    expect(await rule('rollout')).toMatchObject({ percentage: 10, lastStepAt: at(10).toISOString() });
    expect((await scheduler.run(at(10.5))).stepsApplied).toBe(0);
    await scheduler.run(at(11));
    expect((await rule('rollout')).percentage).toBe(20);
  });

  it('when it reads candidates from memory, then it fetches only due flags and steps the fresh copy once', async () => {
    await store.flags.create(gradualFlag('due'));
    await store.flags.create(gradualFlag('not-yet', { startDate: at(10).toISOString() }));
    const stale = (await store.flags.list({})).map((flag) => structuredClone(flag));
    const first = new GradualScheduler(store.flags, schedulerOnStore(store).flags, () => stale);
    expect(await first.run(at(1))).toMatchObject({ flagsChecked: 1, stepsApplied: 1 });
    // Memory still shows the old percentage; the store's fresh copy says the step is taken.
    expect(await first.run(at(1.5))).toMatchObject({ flagsChecked: 1, stepsApplied: 0, conflicts: 0 });
    expect((await rule('due')).percentage).toBe(10);
  });

  it('when the status is asked for, then it lists each rollout with whether a step is due and when the next one is', async () => {
    const views = gradualRollouts(
      [
        gradualFlag('due'),
        gradualFlag('waiting', { lastStepAt: at(1).toISOString(), percentage: 10 }),
        gradualFlag('held', { paused: true }),
      ],
      at(1.5),
    );
    expect(views.map((v) => [v.flagName, v.due, v.nextStepAt])).toEqual([
      ['due', true, at(1.5).toISOString()],
      ['waiting', false, at(2).toISOString()],
      ['held', false, null],
    ]);
  });
});
