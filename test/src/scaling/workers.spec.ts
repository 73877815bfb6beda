import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoTestServer, uniqueDatabaseName, type MongoTestServer } from '@switchyard/relay/testing';
import { startRelay, type StartedRelay } from '../support/start-relay.js';
import { eventually } from '../server-provider/wait-for.js';
import { api } from './scaling-helpers.js';
import {
  childPids,
  onNewConnection,
  openFlagEvents,
  untilEveryWorker,
  untilWorkersServe,
  type FlagEventStream,
} from './worker-requests.js';

const WORKERS = 2;
const HOUR_MS = 3_600_000;

function booleanFlag(name: string, serve: boolean) {
  return {
    name,
    description: 'made on one worker',
    type: 'boolean',
    environments: { production: { enabled: true, rules: [], fallthrough: { serve } } },
  };
}

/**
 * `switchyard serve --workers 2` on one store. The sync poll is slowed to a minute, so a change seen
 * on the other worker within the tests' waits came through the primary's notice, not the poll; usage
 * is flushed only at shutdown (an hour's interval), so counts that add up were written by each worker's stop.
 */
function twoWorkersOn(store: 'embedded' | 'mongodb'): void {
  describe(`two workers on the ${store} store`, { timeout: 180_000 }, () => {
    let database: MongoTestServer | undefined;
    let relay: StartedRelay;

    beforeAll(async () => {
      const env: Record<string, string> = {
        SWITCHYARD_WORKERS: String(WORKERS),
        SWITCHYARD_SCHEDULER_CRON: '* * * * * *',
        SWITCHYARD_SYNC_INTERVAL_MS: '60000',
        SWITCHYARD_USAGE_FLUSH_INTERVAL_MS: String(HOUR_MS),
        SWITCHYARD_API_KEY_CACHE_SECONDS: '0',
      };
      if (store === 'mongodb') {
        database = await startMongoTestServer();
        env.SWITCHYARD_MONGODB_URI = `${database.uri}${uniqueDatabaseName('workers')}`;
      }
      relay = await startRelay({ env, startTimeoutMs: 60_000 });
      await untilWorkersServe(relay, WORKERS);
    }, 180_000);

    afterAll(async () => {
      await relay?.close();
      await database?.dispose();
    });

    it('when a flag is written through one worker, then evaluations and a stream on every worker see it', async () => {
      const streams: FlagEventStream[] = [];
      try {
        while (new Set(streams.map((stream) => stream.worker)).size < WORKERS && streams.length < 10)
          streams.push(await openFlagEvents(relay));
        for (const stream of streams) await stream.waitFor((event) => event.all === true);
        const created = await onNewConnection(
          relay,
          'POST',
          '/api/v1/feature-flags',
          booleanFlag('seen-everywhere', true),
        );
        expect(created.status).toBe(201);
        for (const stream of streams)
          await stream.waitFor((event) => event.flagNames?.includes('seen-everywhere') && event.all !== true);
        const answers = await untilEveryWorker(WORKERS, () =>
          onNewConnection(relay, 'POST', '/api/v1/feature-flags/evaluate', {
            flagName: 'seen-everywhere',
            userContext: { userId: 'u-1' },
          }),
        );
        for (const answer of answers) expect(answer).toMatchObject({ status: 200, body: { value: true } });
      } finally {
        for (const stream of streams) stream.close();
      }
    });

    it('when a gradual step falls due, then exactly one worker takes it', async () => {
      const startDate = new Date(Date.now() - 2 * HOUR_MS - 60_000).toISOString();
      const created = await api(relay, 'POST', '/api/v1/feature-flags', {
        body: {
          ...booleanFlag('stepped-once', false),
          environments: {
            production: {
              enabled: true,
              rules: [
                { strategy: 'gradual', percentage: 0, gradualIncrement: 10, gradualPeriodSeconds: 3600, startDate },
              ],
              fallthrough: { serve: false },
            },
          },
        },
      });
      expect(created.status).toBe(201);
      const stepped = await eventually(
        'the due step to be taken',
        async () => {
          const flag = await api(relay, 'GET', '/api/v1/feature-flags/stepped-once');
          return flag.body.environments.production.rules[0].percentage > 0 ? flag.body : undefined;
        },
        30_000,
      );
      const steppedAt = Date.parse(stepped.updatedAt);
      // Every worker's scheduler ran after the step (and found nothing more due).
      await eventually(
        'each worker to run its scheduler after the step',
        async () => {
          const answers = await untilEveryWorker(WORKERS, () => onNewConnection(relay, 'GET', '/api/v1/scheduler'));
          const ranSince = (worker: number) =>
            answers.some((a) => a.worker === worker && Date.parse(a.body.lastRun?.finishedAt ?? '') > steppedAt + 1000);
          return new Set(answers.map((a) => a.worker)).size >= WORKERS &&
            [...new Set(answers.map((a) => a.worker))].every(ranSince)
            ? true
            : undefined;
        },
        30_000,
      );
      const flag = await api(relay, 'GET', '/api/v1/feature-flags/stepped-once');
      expect(flag.body).toMatchObject({ version: 2 });
      expect(flag.body.environments.production.rules[0].percentage).toBe(20);
      const audit = await api(relay, 'GET', '/api/v1/audit?flag=stepped-once');
      expect(audit.status).toBe(200);
      const steps = audit.body.entries.filter((entry: any) => entry.actor === 'scheduler');
      expect(steps).toHaveLength(1);
    });

    it('when usage is posted to every worker, then after a restart the counts add up exactly', async () => {
      expect((await api(relay, 'POST', '/api/v1/feature-flags', { body: booleanFlag('counted', true) })).status).toBe(
        201,
      );
      let posted = 0;
      const batch = (count: number) => ({
        environment: 'production',
        evaluations: [{ flagName: 'counted', enabled: true, count, periodStart: new Date().toISOString() }],
      });
      const answers = await untilEveryWorker(
        WORKERS,
        async () => {
          const count = 3 + posted;
          const answer = await onNewConnection(relay, 'POST', '/api/v1/usage', batch(count));
          if (answer.status === 202 || answer.status === 200) posted += count;
          return answer;
        },
        2,
      );
      for (const answer of answers) expect(answer.status).toBeLessThan(300);
      // SIGTERM: each worker writes what it holds, then the primary closes the store.
      await relay.restart();
      await untilWorkersServe(relay, WORKERS);
      const analytics = await api(relay, 'GET', '/api/v1/feature-flags/counted/analytics?days=1');
      expect(analytics.status).toBe(200);
      expect(analytics.body.totalEvaluations).toBe(posted);
    });

    it('when a worker is killed, then another takes its place and every acknowledged write is still there', async () => {
      const written: string[] = [];
      for (let i = 0; i < 4; i += 1) {
        const created = await onNewConnection(relay, 'POST', '/api/v1/feature-flags', booleanFlag(`kept-${i}`, true));
        expect(created.status).toBe(201);
        written.push(`kept-${i}`);
      }
      const before = await untilEveryWorker(WORKERS, () => onNewConnection(relay, 'GET', '/healthz'));
      const highest = Math.max(...before.map((a) => a.worker));
      const [victim] = childPids(relay.pid()!);
      process.kill(victim!, 'SIGKILL');
      await eventually(
        'a new worker to answer',
        async () => ((await onNewConnection(relay, 'GET', '/healthz')).worker > highest ? true : undefined),
        60_000,
      );
      for (const name of written) {
        const answers = await untilEveryWorker(WORKERS, () =>
          onNewConnection(relay, 'GET', `/api/v1/feature-flags/${name}`),
        );
        for (const answer of answers) expect(answer).toMatchObject({ status: 200, body: { name } });
      }
    });
  });
}

twoWorkersOn('embedded');
twoWorkersOn('mongodb');
