import type { Flag, RolloutRule } from '@switchyard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { configWith } from '../config/relay-config.js';
import { resumeRollouts } from '../features/flags/resume-rollouts.js';
import { sampleGradualFlag } from '../features/scheduler/sample-gradual-flag.js';
import { StreamTestClient } from '../features/stream/stream-test-client.js';
import { startTestRelay, type TestRelay } from '../http/testing/test-relay.js';
import type { StoredFlag } from '../store/store.js';

describe("the relay's jobs", { timeout: 60_000 }, () => {
  let t: TestRelay | undefined;
  let opened: StreamTestClient | undefined;
  afterEach(async () => {
    opened?.close();
    await t?.stop();
  });

  it('when a gradual rollout runs on a seconds-long period, then steps catch up exactly, reach streams, stop when paused and continue on resume', async () => {
    const periodMs = 2000;
    const base = configWith({});
    const relay = (t = await startTestRelay({ realtime: { ...base.realtime, schedulerCron: '* * * * * *' } }));
    const store = relay.relay.store;
    const write = async (flag: Flag, version?: number): Promise<StoredFlag> => {
      const stored = version === undefined ? await store.flags.create(flag) : await store.flags.update(flag, version);
      await relay.relay.realtime.sync.pollNow();
      return stored;
    };
    const startDate = new Date(Date.now() - 2.5 * periodMs);
    const rollout = (overrides: Partial<RolloutRule> = {}): Flag =>
      sampleGradualFlag('gradual', {
        startDate: startDate.toISOString(),
        gradualPeriodSeconds: periodMs / 1000,
        ...overrides,
      });
    const stream = (opened = new StreamTestClient(relay.url, { key: await relay.keyFor('server', 'production') }));
    await stream.waitFor((m) => m.type === 'snapshot');
    await write(rollout());
    const percentageOf = (flag: Flag | null | undefined) => flag?.environments.production?.rules[0]?.percentage;
    const pushed = (atLeast: number) =>
      stream.waitFor(
        (m) => m.type === 'changes' && m.changes.some((c) => c.kind === 'upsert' && percentageOf(c.flag)! >= atLeast),
      );
    await pushed(30);
    const steps = (await store.flags.history('gradual')).slice(1);
    // Down for 2.5 periods before its first run: the first step catches up at least two periods at once.
    expect(percentageOf(steps[0])).toBeGreaterThanOrEqual(20);
    const audit = (await store.audit.list({ flagName: 'gradual' })).filter((entry) => entry.actor === 'scheduler');
    expect(audit).toHaveLength(steps.length);
    for (const entry of audit) {
      // Exactly what was due at the run: increment × whole periods up to lastStepAt, and no further period had passed.
      const rule = (entry.after as unknown as Flag).environments.production!.rules[0]!;
      const periods = (Date.parse(rule.lastStepAt!) - startDate.getTime()) / periodMs;
      expect(Number.isInteger(periods)).toBe(true);
      expect(rule.percentage).toBe(10 * periods);
      expect(Date.parse(entry.at)).toBeLessThan(Date.parse(rule.lastStepAt!) + periodMs);
      expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(Date.parse(rule.lastStepAt!));
    }

    const running = (await store.flags.get('gradual'))!;
    const paused = await write(
      rollout({ ...running.environments.production!.rules[0], paused: true }),
      running.version,
    );
    const pausedAt = percentageOf(paused)!;
    // An idle 2.5 periods is what is tested: a paused rollout takes no step in it.
    await new Promise((resolve) => setTimeout(resolve, 2.5 * periodMs));
    const stillPaused = (await store.flags.get('gradual'))!;
    expect(stillPaused.version).toBe(paused.version);
    expect((await relay.call('GET', '/api/v1/scheduler')).body.rollouts[0]).toMatchObject({
      paused: true,
      due: false,
      nextStepAt: null,
    });

    const resumedAt = new Date();
    const resumed = resumeRollouts(
      stillPaused,
      rollout({ ...stillPaused.environments.production!.rules[0], paused: false }),
      resumedAt,
    );
    await write(resumed, stillPaused.version);
    await pushed(pausedAt + 10);
    const next = (await store.flags.get('gradual'))!.environments.production!.rules[0]!;
    // Counted from the resume, not from before the pause: k periods after resuming, k steps.
    const periodsSinceResume = (Date.parse(next.lastStepAt!) - resumedAt.getTime()) / periodMs;
    expect(Number.isInteger(periodsSinceResume) && periodsSinceResume >= 1).toBe(true);
    expect(next.percentage).toBe(pausedAt + 10 * periodsSinceResume);
  });
});
