import { afterEach, describe, expect, it } from 'vitest';
import { InvalidCronError, JobRunner } from './job-runner.js';

describe('JobRunner', () => {
  let runner: JobRunner | undefined;
  afterEach(async () => {
    await runner?.stop();
  });

  it('when a run is still going, then another request joins it instead of overlapping', async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    runner = new JobRunner([
      {
        name: 'slow',
        cron: '0 0 1 1 *',
        async run() {
          runs += 1;
          concurrent += 1;
          maxConcurrent = Math.max(maxConcurrent, concurrent);
          await gate;
          concurrent -= 1;
          return runs;
        },
      },
    ]);
    const first = runner.runNow('slow');
    const second = runner.runNow('slow');
    expect(runner.status('slow').running).toBe(true);
    release();
    await Promise.all([first, second]);
    expect(maxConcurrent).toBe(1);
    expect(runs).toBe(1);
    expect(runner.status('slow').lastRun).toMatchObject({ result: 1 });
  });

  it('when a job runs every second, then it runs by itself and reports its next run', async () => {
    let runs = 0;
    runner = new JobRunner([{ name: 'tick', cron: '* * * * * *', run: async () => (runs += 1) }]);
    runner.start();
    await expect.poll(() => runs, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect(Date.parse(runner.status('tick').nextRunAt!)).toBeGreaterThan(Date.now() - 1000);
  });

  it('when a job runs every few milliseconds, then each run starts after the previous one ended', async () => {
    const runs: Array<{ start: number; end: number }> = [];
    runner = new JobRunner([
      {
        name: 'poll',
        everyMs: 1,
        async run() {
          const start = performance.now();
          await new Promise((resolve) => setImmediate(resolve));
          runs.push({ start, end: performance.now() });
        },
      },
    ]);
    runner.start();
    await expect.poll(() => runs.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await runner.stop();
    const count = runs.length;
    for (let i = 1; i < count; i += 1) expect(runs[i]!.start).toBeGreaterThanOrEqual(runs[i - 1]!.end);
    expect(runner.status('poll')).toMatchObject({ schedule: 'every 1 ms', running: false, nextRunAt: null });
  });

  it('when a run fails, then the error is its status and the next run still happens', async () => {
    runner = new JobRunner([
      { name: 'failing', cron: '0 0 1 1 *', run: async () => Promise.reject(new Error('boom')) },
    ]);
    expect((await runner.runNow('failing')).error).toBe('boom');
    expect(runner.status('failing').lastRun?.error).toBe('boom');
  });

  it('when a cron expression is invalid, then the runner refuses it by name', () => {
    expect(() => new JobRunner([{ name: 'bad', cron: 'every minute', run: async () => 1 }])).toThrow(InvalidCronError);
  });
});
