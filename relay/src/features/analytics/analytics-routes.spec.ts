import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../http/testing/test-relay.js';
import { sampleFlag } from '../../testing/sample-flag.js';

const FLAGS = '/api/v1/feature-flags';
const now = () => new Date().toISOString();
const users = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

const checkoutTest = sampleFlag('checkout-button-test', {
  type: 'string',
  owner: 'growth-team',
  variants: [
    { name: 'control', value: 'Buy now', weight: 50 },
    { name: 'treatment', value: 'Get it today', weight: 50 },
  ],
  environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
});

/** Exposes `count` users to `variant` and has the first `converters` of them convert. */
function experimentBatch(variant: string, count: number, converters: number) {
  const ids = users(variant, count);
  return {
    evaluations: [{ flagName: checkoutTest.name, variant, enabled: true, count, userIds: ids, periodStart: now() }],
    events: ids
      .slice(0, converters)
      .map((userId) => ({ name: 'conversion', flagName: checkoutTest.name, variant, userId, timestamp: now() })),
  };
}

describe('analytics over HTTP', () => {
  let t: TestRelay;
  let serverKey: string;
  beforeAll(async () => {
    t = await startTestRelay();
    await t.call('POST', FLAGS, { body: checkoutTest });
    await t.call('POST', FLAGS, {
      body: sampleFlag('plain-toggle', {
        environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
      }),
    });
    serverKey = await t.keyFor('server', 'production');
  });
  afterAll(async () => {
    await t.stop();
  });

  it("when the relay evaluates a flag itself, then the evaluation and its user count in the flag's analytics", async () => {
    for (const userId of ['alice', 'bob', 'alice']) {
      const answer = await t.call('POST', `${FLAGS}/evaluate`, {
        body: { flagName: 'plain-toggle', userContext: { userId } },
      });
      expect(answer.status).toBe(200);
    }
    const analytics = await t.call('GET', `${FLAGS}/plain-toggle/analytics?days=1&granularity=hour`);
    expect(analytics.status).toBe(200);
    expect(analytics.body).toMatchObject({
      totalEvaluations: 3,
      enabledCount: 3,
      uniqueUsers: 2,
      uniqueUsersExact: true,
      granularity: 'hour',
    });
    expect(analytics.body.timeSeries.length).toBeGreaterThanOrEqual(24);
    expect(analytics.body.timeSeries.at(-1)).toMatchObject({ totalEvaluations: 3, uniqueUsers: 2 });
  });

  it('when a request evaluates every flag without naming any, then no flag counts it (unused flags stay visible)', async () => {
    const before = await t.call('GET', `${FLAGS}/checkout-button-test/analytics?days=1`);
    const answer = await t.call('POST', `${FLAGS}/evaluate`, { body: { userContext: { userId: 'carol' } } });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body.results)).toContain('checkout-button-test');
    const after = await t.call('GET', `${FLAGS}/checkout-button-test/analytics?days=1`);
    expect(after.body.totalEvaluations).toBe(before.body.totalEvaluations);
    expect(after.body.uniqueUsers).toBe(before.body.uniqueUsers);
  });

  it('when 1000 users see each variant and 100 vs 130 convert, then the experiment shows +30% with p = 0.035', async () => {
    for (const batch of [experimentBatch('control', 1000, 100), experimentBatch('treatment', 1000, 130)]) {
      expect((await t.call('POST', '/api/v1/usage', { key: serverKey, body: batch })).status).toBe(202);
    }
    const answer = await t.call(
      'GET',
      `${FLAGS}/checkout-button-test/experiment?outcome=conversion&control=control&environment=production`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'ready', control: 'control', outcome: 'conversion' });
    const [control, treatment] = answer.body.arms;
    expect(control).toMatchObject({
      variant: 'control',
      users: 1000,
      converters: 100,
      conversionRate: 0.1,
      comparison: null,
    });
    expect(treatment).toMatchObject({ variant: 'treatment', users: 1000, converters: 130, countsExact: true });
    expect(treatment.comparison.relativeUplift).toBeCloseTo(0.3, 10);
    expect(treatment.comparison.pValue).toBeCloseTo(0.03549, 5);
    expect(answer.body.sampleRatioMismatch).toMatchObject({ mismatch: false, pValue: 1 });
    const analytics = await t.call('GET', `${FLAGS}/checkout-button-test/analytics?days=1`);
    const conversion = analytics.body.outcomes.find((outcome: { outcome: string }) => outcome.outcome === 'conversion');
    expect(
      conversion.byVariant.map((v: { variant: string; conversionRate: number }) => [v.variant, v.conversionRate]),
    ).toEqual([
      ['control', 0.1],
      ['treatment', 0.13],
    ]);
  });

  it('when the reader names a minimum detectable effect, then the answer holds the always-valid reading and the sample size for it', async () => {
    const answer = await t.call('GET', `${FLAGS}/checkout-button-test/experiment?control=control&mde=0.05&power=0.9`);
    expect(answer.status).toBe(200);
    const treatment = answer.body.arms[1];
    expect(treatment.sequential).toMatchObject({
      significant: false,
      verdict: expect.stringContaining('keep the test running'),
    });
    expect(answer.body.sampleSize).toMatchObject({
      minimumDetectableEffect: 0.05,
      power: 0.9,
      baselineRate: 0.1,
      usersPerVariant: expect.any(Number),
    });
    expect(answer.body.sampleSize.additionalUsersPerVariant.treatment).toBe(
      answer.body.sampleSize.usersPerVariant - 1000,
    );
    const invalid = await t.call('GET', `${FLAGS}/checkout-button-test/experiment?mde=0&power=1`);
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((error: { path: string }) => error.path)).toEqual(['query.mde', 'query.power']);
  });

  it('when the control is not a variant of the flag, then 400 lists the variants', async () => {
    const answer = await t.call('GET', `${FLAGS}/checkout-button-test/experiment?control=blue`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'UNKNOWN_CONTROL_VARIANT', errors: [{ path: 'query.control' }] });
  });

  it('when the flag has no variants, then the experiment answers 422', async () => {
    const answer = await t.call('GET', `${FLAGS}/plain-toggle/experiment`);
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('EXPERIMENT_NEEDS_VARIANTS');
  });

  it('when the flag does not exist, then 404', async () => {
    expect((await t.call('GET', `${FLAGS}/nope/analytics`)).status).toBe(404);
  });

  it('when the range is contradictory or too long, then 400 with the field path', async () => {
    const both = await t.call('GET', `${FLAGS}/plain-toggle/analytics?days=3&start=2026-01-01T00:00:00Z`);
    expect(both.status).toBe(400);
    expect(both.body.errors[0].path).toBe('query.days');
    const tooLong = await t.call('GET', `${FLAGS}/plain-toggle/analytics?days=100000`);
    expect(tooLong.status).toBe(400);
    const inverted = await t.call(
      'GET',
      `${FLAGS}/plain-toggle/analytics?start=2026-01-02T00:00:00Z&end=2026-01-01T00:00:00Z`,
    );
    expect(inverted.status).toBe(400);
    expect(inverted.body.errors[0].path).toBe('query.end');
    const environment = await t.call('GET', `${FLAGS}/plain-toggle/analytics?environment=mars`);
    expect(environment.status).toBe(400);
  });

  it('when start lies in the future and no end is given, then 400 on query.start (not an inverted window)', async () => {
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString();
    for (const endpoint of ['analytics', 'experiment']) {
      const answer = await t.call('GET', `${FLAGS}/checkout-button-test/${endpoint}?start=${future}`);
      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((error: { path: string }) => error.path)).toEqual(['query.start']);
    }
  });

  it('when a server key asks for analytics, then 403: analytics are for admin, editor and viewer keys', async () => {
    expect((await t.call('GET', `${FLAGS}/plain-toggle/analytics`, { key: serverKey })).status).toBe(403);
    const viewer = await t.keyFor('viewer');
    expect((await t.call('GET', `${FLAGS}/plain-toggle/analytics`, { key: viewer })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/reports/stale-flags?days=7', { key: viewer })).status).toBe(200);
  });

  it('when every flag is younger than the window, then the stale report lists none', async () => {
    const answer = await t.call('GET', '/api/v1/reports/stale-flags?days=30');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ days: 30, flags: [] });
  });

  it('when a sender reported losing usage in the range, then the experiment says so and no count is reported exact', async () => {
    expect((await t.call('POST', '/api/v1/usage', { key: serverKey, body: { dropped: 7 } })).status).toBe(202);
    const answer = await t.call('GET', `${FLAGS}/checkout-button-test/experiment?environment=production`);
    expect(answer.body.droppedBySender).toBe(7);
    expect(
      answer.body.arms.map((arm: { countsExact: boolean; usersExact: boolean }) => [arm.countsExact, arm.usersExact]),
    ).toEqual([
      [false, true],
      [false, true],
    ]);
    expect(answer.body.warnings).toContainEqual(expect.stringContaining('senders reported losing 7 usage items'));
    const analytics = await t.call('GET', `${FLAGS}/checkout-button-test/analytics?days=1&environment=production`);
    expect(analytics.body.droppedBySender).toBe(7);
  });
});
