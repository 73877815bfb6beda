import { HLL_REGISTERS, HLL_RELATIVE_STANDARD_ERROR, UniqueIds } from '@switchyard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWith } from '../../config/relay-config.js';
import { startTestRelay, type TestRelay } from '../../http/testing/test-relay.js';
import { sampleFlag } from '../../testing/sample-flag.js';

const USAGE = '/api/v1/usage';
const now = () => new Date().toISOString();

describe('POST /api/v1/usage', () => {
  let t: TestRelay;
  let serverKey: string;
  let clientKey: string;
  beforeAll(async () => {
    t = await startTestRelay();
    await t.call('POST', '/api/v1/feature-flags', { body: sampleFlag('new-dashboard') });
    serverKey = await t.keyFor('server', 'production');
    clientKey = await t.keyFor('client', 'production');
  });
  afterAll(async () => {
    await t.stop();
  });

  it("when a server key sends a batch, then 202 says what was taken and the flag's analytics show it", async () => {
    const answer = await t.call('POST', USAGE, {
      key: serverKey,
      body: {
        evaluations: [
          { flagName: 'new-dashboard', enabled: true, count: 30, userIds: ['u1', 'u2', 'u3'], periodStart: now() },
          { flagName: 'new-dashboard', enabled: false, count: 10, userIds: ['u4'], periodStart: now() },
        ],
        errors: [{ flagName: 'new-dashboard', errorCode: 'TYPE_MISMATCH', count: 2, periodStart: now() }],
        events: [
          {
            name: 'conversion',
            flagName: 'new-dashboard',
            userId: 'u1',
            value: 99.99,
            metadata: { page: 'checkout', amount: 99.99 },
            timestamp: now(),
          },
        ],
      },
    });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      environment: 'production',
      accepted: { evaluations: 40, errors: 2, events: 1, unattributedEvents: 0, droppedBySender: 0 },
      unknownFlags: [],
      unknownVariants: [],
      outcomesOverLimit: { events: 0, outcomes: [] },
    });
    const analytics = await t.call(
      'GET',
      '/api/v1/feature-flags/new-dashboard/analytics?days=7&environment=production',
    );
    expect(analytics.status).toBe(200);
    expect(analytics.body).toMatchObject({
      totalEvaluations: 40,
      enabledCount: 30,
      disabledCount: 10,
      uniqueUsers: 4,
      errors: { TYPE_MISMATCH: 2 },
    });
    // The seed's example, camelCased.
    expect((analytics.body.enabledCount / analytics.body.totalEvaluations) * 100).toBe(75);
  });

  it('when a client key of the environment sends a batch, then it is accepted too', async () => {
    const answer = await t.call('POST', USAGE, {
      key: clientKey,
      body: { events: [{ name: 'signup', timestamp: now() }], dropped: 3 },
    });
    expect(answer.status).toBe(202);
    expect(answer.body.accepted).toMatchObject({ events: 1, unattributedEvents: 1, droppedBySender: 3 });
  });

  it('when a batch names flags the environment does not have, then only those entries are left out, and named', async () => {
    await t.call('POST', '/api/v1/feature-flags', {
      body: sampleFlag('staging-only', {
        environments: { staging: { enabled: true, rules: [], fallthrough: { serve: true } } },
      }),
    });
    const answer = await t.call('POST', USAGE, {
      key: clientKey,
      body: {
        evaluations: [
          { flagName: 'new-dashboard', enabled: true, count: 5, periodStart: now() },
          { flagName: 'made-up', enabled: true, count: 1000, userIds: ['x'], periodStart: now() },
          { flagName: 'staging-only', enabled: true, count: 7, periodStart: now() },
        ],
        errors: [{ flagName: 'typo-flag', errorCode: 'FLAG_NOT_FOUND', count: 3, periodStart: now() }],
        events: [
          { name: 'conversion', flagName: 'made-up', timestamp: now() },
          { name: 'signup', timestamp: now() },
        ],
      },
    });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      environment: 'production',
      accepted: { evaluations: 5, errors: 0, events: 1, unattributedEvents: 1, droppedBySender: 0 },
      unknownFlags: ['made-up', 'staging-only', 'typo-flag'],
      unknownVariants: [],
      outcomesOverLimit: { events: 0, outcomes: [] },
    });
    const evaluated = async () =>
      (await t.relay.store.usage.lastEvaluations()).map((entry) => `${entry.environment}/${entry.flagName}`);
    await expect.poll(evaluated, { timeout: 10_000 }).toContain('production/new-dashboard');
    expect(await evaluated()).not.toContain('production/made-up');
    expect(await evaluated()).not.toContain('production/staging-only');
    const metrics = await t.call('GET', '/metrics', { key: null });
    expect(metrics.text).toContain('switchyard_usage_unknown_flag_batches_total{environment="production"} 1');
  });

  it("when a client key sends 2,500 made-up variants of a real flag, then only the flag's variants (and none) count, and the others come back in unknownVariants", async () => {
    await t.call('POST', '/api/v1/feature-flags', {
      body: sampleFlag('banner-test', {
        type: 'string',
        variants: [
          { name: 'control', value: 'a', weight: 50 },
          { name: 'treatment', value: 'b', weight: 50 },
        ],
        environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
      }),
    });
    const madeUp = Array.from({ length: 2500 }, (_, i) => ({
      flagName: 'banner-test',
      variant: `v${i}`,
      enabled: true,
      count: 1,
      periodStart: now(),
    }));
    const answer = await t.call('POST', USAGE, {
      key: clientKey,
      body: {
        evaluations: [
          ...madeUp,
          { flagName: 'banner-test', variant: 'control', enabled: true, count: 3, periodStart: now() },
          { flagName: 'banner-test', enabled: false, count: 2, periodStart: now() },
          { flagName: 'banner-test', variant: 'v7', enabled: true, count: 1, periodStart: now() },
        ],
        events: [
          { name: 'conversion', flagName: 'banner-test', variant: 'treatment', timestamp: now() },
          { name: 'conversion', flagName: 'banner-test', variant: 'nope', timestamp: now() },
          { name: 'signup', variant: 'control', timestamp: now() },
        ],
      },
    });
    expect(answer.status).toBe(202);
    expect(answer.body.accepted).toMatchObject({ evaluations: 5, events: 1, unattributedEvents: 0 });
    expect(answer.body.unknownVariants).toHaveLength(2502);
    expect(answer.body.unknownVariants).toEqual([...answer.body.unknownVariants].sort());
    expect(answer.body.unknownVariants).toEqual(
      expect.arrayContaining(['banner-test/v0', 'banner-test/v2499', 'banner-test/nope', '/control']),
    );
    const analytics = await t.call('GET', '/api/v1/feature-flags/banner-test/analytics?days=1');
    expect(analytics.body.variants.map((variant: { variant: string }) => variant.variant)).toEqual([
      '(none)',
      'control',
    ]);
    expect(analytics.body.outcomes[0].byVariant.map((variant: { variant: string }) => variant.variant)).toEqual([
      'treatment',
    ]);
  });

  it('when evaluations name the on/off variants that flags without variants or an off variant report, then they count for those flags only', async () => {
    await t.call('POST', '/api/v1/feature-flags', {
      body: sampleFlag('plain-switch', {
        environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
      }),
    });
    await t.call('POST', '/api/v1/feature-flags', {
      body: sampleFlag('copy-test', {
        type: 'string',
        variants: [{ name: 'old', value: 'a', weight: 100 }],
        offVariant: 'old',
        environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
      }),
    });
    const evaluation = (flagName: string, variant: string) => ({
      flagName,
      variant,
      enabled: variant !== 'off',
      count: 1,
      periodStart: now(),
    });
    const answer = await t.call('POST', USAGE, {
      key: clientKey,
      body: {
        evaluations: [
          evaluation('plain-switch', 'on'),
          evaluation('plain-switch', 'off'),
          evaluation('copy-test', 'on'),
          evaluation('copy-test', 'off'),
        ],
      },
    });
    expect(answer.status).toBe(202);
    expect(answer.body.accepted).toMatchObject({ evaluations: 2 });
    expect(answer.body.unknownVariants).toEqual(['copy-test/off', 'copy-test/on']);
  });

  it('when a client key sends 2,500 made-up outcome names, then 50 per flag and hour count (SWITCHYARD_USAGE_MAX_OUTCOMES_PER_FLAG_HOUR) and the rest are reported', async () => {
    const timestamp = now();
    const names = Array.from({ length: 2500 }, (_, i) => `outcome-${String(i).padStart(4, '0')}`);
    const answer = await t.call('POST', USAGE, {
      key: clientKey,
      body: {
        events: [
          ...names.map((name) => ({ name, flagName: 'banner-test', timestamp })),
          ...names.map((name) => ({ name, timestamp })),
        ],
      },
    });
    expect(answer.status).toBe(202);
    // Earlier tests this hour used 'conversion' (banner-test) and 'signup' (no flag): 49 more names each.
    expect(answer.body.accepted).toMatchObject({ events: 98, unattributedEvents: 49 });
    expect(answer.body.outcomesOverLimit.events).toBe(5000 - 98);
    expect(answer.body.outcomesOverLimit.outcomes).toHaveLength(5000 - 98);
    expect(answer.body.outcomesOverLimit.outcomes).toEqual(
      expect.arrayContaining(['banner-test/outcome-2499', '/outcome-2499']),
    );
    const analytics = await t.call('GET', '/api/v1/feature-flags/banner-test/analytics?days=1');
    expect(analytics.body.outcomes).toHaveLength(50);
    const again = await t.call('POST', USAGE, {
      key: clientKey,
      body: { events: [{ name: 'outcome-0000', flagName: 'banner-test', timestamp }] },
    });
    expect(again.body.outcomesOverLimit).toEqual({ events: 0, outcomes: [] });
  });

  it('when a key names another environment than its own, then 403', async () => {
    const answer = await t.call('POST', USAGE, { key: serverKey, body: { environment: 'staging', events: [] } });
    expect(answer.status).toBe(403);
  });

  it('when scraped, then /metrics exposes the usage waiting for a write and failed flushes', async () => {
    const metrics = await t.call('GET', '/metrics', { key: null });
    expect(metrics.text).toMatch(/^switchyard_usage_pending_keys \d+$/m);
    expect(metrics.text).toContain('# TYPE switchyard_usage_flush_failures_total counter');
  });

  it('when a viewer key sends usage, then 403', async () => {
    const viewer = await t.keyFor('viewer');
    expect((await t.call('POST', USAGE, { key: viewer, body: {} })).status).toBe(403);
  });

  it('when entries are malformed, then 400 lists each problem with its path and nothing is taken', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const answer = await t.call('POST', USAGE, {
      key: serverKey,
      body: {
        evaluations: [{ flagName: 'new-dashboard', enabled: true, count: -1, periodStart: now() }],
        errors: [
          { flagName: 'new-dashboard', errorCode: 'OOPS', count: 1, periodStart: now() },
          { flagName: 'new-dashboard', errorCode: 'GENERAL', count: 5, periodStart: now() },
        ],
        events: [{ name: 'conversion', timestamp: future }],
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    const paths = answer.body.errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(
      expect.arrayContaining(['evaluations[0].count', 'errors[0].errorCode', 'events[0].timestamp']),
    );
    const timestamp = answer.body.errors.find((error: { path: string }) => error.path === 'events[0].timestamp');
    expect(timestamp.message).toContain('SWITCHYARD_USAGE_MAX_CLOCK_SKEW_SECONDS');
    const after = await t.call('GET', '/api/v1/feature-flags/new-dashboard/analytics?days=7');
    expect(after.body.errors).toEqual({ TYPE_MISMATCH: 2 });
  });

  it('when an entry carries more user ids than allowed, then 400 names the limit', async () => {
    const userIds = Array.from({ length: 1001 }, (_, i) => `u${i}`);
    const answer = await t.call('POST', USAGE, {
      key: serverKey,
      body: { evaluations: [{ flagName: 'x', enabled: true, count: 1, userIds, periodStart: now() }] },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0]).toMatchObject({ path: 'evaluations[0].userIds' });
    expect(answer.body.errors[0].message).toContain('SWITCHYARD_USAGE_MAX_USER_IDS_PER_ENTRY');
  });

  it('when two senders report one flag, one with exact ids and one with a sketch past its limit, then the users are their union, reported as an estimate', async () => {
    await t.call('POST', '/api/v1/feature-flags', { body: sampleFlag('sketched') });
    const exact = Array.from({ length: 500 }, (_, i) => `user-${i}`);
    const sketched = new UniqueIds(1_000);
    for (let i = 0; i < 5_000; i++) sketched.add(`user-${i}`);
    const entry = { flagName: 'sketched', enabled: true, count: 5_000, periodStart: now() };
    expect(
      (
        await t.call('POST', USAGE, {
          key: serverKey,
          body: { evaluations: [{ ...entry, count: 500, userIds: exact }] },
        })
      ).status,
    ).toBe(202);
    const before = await t.call('GET', '/api/v1/feature-flags/sketched/analytics?days=1');
    expect(before.body).toMatchObject({ uniqueUsers: 500, uniqueUsersExact: true });
    expect(
      (
        await t.call('POST', USAGE, {
          key: serverKey,
          body: { evaluations: [{ ...entry, ...sketched.toEntryFields() }] },
        })
      ).status,
    ).toBe(202);
    const after = await t.call('GET', '/api/v1/feature-flags/sketched/analytics?days=1');
    expect(after.body.uniqueUsersExact).toBe(false);
    expect(Math.abs(after.body.uniqueUsers - 5_000) / 5_000).toBeLessThan(3 * HLL_RELATIVE_STANDARD_ERROR);
  });

  it('when a sketch is malformed, then 400 names each field and what was expected', async () => {
    const entry = { flagName: 'new-dashboard', enabled: true, count: 5, periodStart: now() };
    const answer = await t.call('POST', USAGE, {
      key: serverKey,
      body: {
        evaluations: [
          { ...entry, userSketch: { precision: 14, registers: '0'.repeat(HLL_REGISTERS) } },
          { ...entry, userSketch: { precision: 12, registers: '0'.repeat(10) } },
          { ...entry, userSketch: { precision: 12, registers: 'z'.repeat(HLL_REGISTERS) } },
          { ...entry, userIds: ['u1'], userSketch: { precision: 12, registers: '0'.repeat(HLL_REGISTERS) } },
        ],
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    const problems = answer.body.errors.map((error: { path: string; message: string }) => [error.path, error.message]);
    expect(problems).toEqual([
      ['evaluations[0].userSketch.precision', expect.stringContaining('12')],
      ['evaluations[1].userSketch.registers', expect.stringContaining(`exactly ${HLL_REGISTERS} characters`)],
      ['evaluations[2].userSketch.registers', expect.stringContaining('0-9 and a-x')],
      ['evaluations[3].userSketch', expect.stringContaining('not both')],
    ]);
  });

  it('when a batch carries more sketches than SWITCHYARD_USAGE_MAX_SKETCHES_PER_BATCH, then 400 names the limit', async () => {
    const limited = await startTestRelay({ usage: { ...configWith({}).usage, maxSketchesPerBatch: 2 } });
    try {
      const userSketch = { precision: 12, registers: '1'.repeat(HLL_REGISTERS) };
      const evaluations = Array.from({ length: 3 }, () => ({
        flagName: 'x',
        enabled: true,
        count: 5_000,
        userSketch,
        periodStart: now(),
      }));
      const answer = await limited.call('POST', USAGE, { body: { evaluations } });
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0]).toMatchObject({ path: 'evaluations' });
      expect(answer.body.errors[0].message).toContain('SWITCHYARD_USAGE_MAX_SKETCHES_PER_BATCH');
    } finally {
      await limited.stop();
    }
  });

  it('when a value lies beyond SWITCHYARD_USAGE_MAX_VALUE, then 400 names the field and the limit, and nothing is stored', async () => {
    const events = [1e308, -1e308, 1e12 + 1].map((value) => ({
      name: 'huge',
      flagName: 'new-dashboard',
      value,
      timestamp: now(),
    }));
    const answer = await t.call('POST', USAGE, { key: serverKey, body: { events } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((error: { path: string }) => error.path)).toEqual([
      'events[0].value',
      'events[1].value',
      'events[2].value',
    ]);
    expect(answer.body.errors[0].message).toContain('SWITCHYARD_USAGE_MAX_VALUE');
    const bound = await t.call('POST', USAGE, {
      key: serverKey,
      body: {
        events: [1e12, -1e12].map((value) => ({ name: 'bound', flagName: 'new-dashboard', value, timestamp: now() })),
      },
    });
    expect(bound.status).toBe(202);
    const analytics = await t.call('GET', '/api/v1/feature-flags/new-dashboard/analytics?days=7');
    expect(analytics.body.outcomes.map((outcome: { outcome: string }) => outcome.outcome)).not.toContain('huge');
    const boundOutcome = analytics.body.outcomes.find((outcome: { outcome: string }) => outcome.outcome === 'bound');
    expect(boundOutcome.byVariant[0]).toMatchObject({ valueCount: 2, valueSum: 0, valueMean: 0 });
  });

  it('when a count exceeds SWITCHYARD_USAGE_MAX_COUNT_PER_ENTRY or an entry has more user ids than evaluations, then 400 with the path', async () => {
    const answer = await t.call('POST', USAGE, {
      key: serverKey,
      body: {
        evaluations: [
          { flagName: 'new-dashboard', enabled: true, count: Number.MAX_SAFE_INTEGER, periodStart: now() },
          { flagName: 'new-dashboard', enabled: true, count: 0, userIds: ['a', 'b', 'c'], periodStart: now() },
        ],
        errors: [{ flagName: 'new-dashboard', errorCode: 'GENERAL', count: 1e12, periodStart: now() }],
        dropped: 1e15,
      },
    });
    expect(answer.status).toBe(400);
    const paths = answer.body.errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(
      expect.arrayContaining(['evaluations[0].count', 'evaluations[1].userIds', 'errors[0].count', 'dropped']),
    );
    expect(
      answer.body.errors.find((error: { path: string }) => error.path === 'evaluations[0].count').message,
    ).toContain('SWITCHYARD_USAGE_MAX_COUNT_PER_ENTRY');
  });

  it('when metadata is too large, then 400 names the limit', async () => {
    const answer = await t.call('POST', USAGE, {
      key: serverKey,
      body: { events: [{ name: 'conversion', metadata: { blob: 'x'.repeat(5000) }, timestamp: now() }] },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0]).toMatchObject({ path: 'events[0].metadata' });
  });

  it('when the body is larger than the relay accepts, then 413', async () => {
    const events = Array.from({ length: 9000 }, () => ({
      name: 'conversion',
      flagName: 'new-dashboard',
      userId: 'u'.repeat(100),
      timestamp: now(),
    }));
    const answer = await t.call('POST', USAGE, { key: serverKey, body: { events } });
    expect(answer.status).toBe(413);
    expect(answer.body.code).toBe('BODY_TOO_LARGE');
    expect(answer.body.detail).toContain('SWITCHYARD_USAGE_MAX_BODY_BYTES');
  });

  it('when a batch has more entries than allowed, then 400 names the limit', async () => {
    const events = Array.from({ length: 10_001 }, () => ({ name: 'c', timestamp: '2026-01-01T00:00:00Z' }));
    const answer = await t.call('POST', USAGE, { key: serverKey, body: { events } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].message).toContain('SWITCHYARD_USAGE_MAX_ENTRIES_PER_BATCH');
  });
});

describe('POST /api/v1/usage with its own body limit', () => {
  it('when SWITCHYARD_USAGE_MAX_BODY_BYTES is above the relay-wide limit, then usage bodies may be that large', async () => {
    const t = await startTestRelay({
      maxBodyBytes: 4096,
      usage: { ...configWith({}).usage, maxBodyBytes: 4 * 1024 * 1024 },
    });
    try {
      const events = Array.from({ length: 9000 }, () => ({
        name: 'conversion',
        userId: 'u'.repeat(100),
        timestamp: now(),
      }));
      expect((await t.call('POST', USAGE, { body: { events } })).status).toBe(202);
      expect(
        (await t.call('POST', '/api/v1/feature-flags', { body: sampleFlag('big', { description: 'x'.repeat(5000) }) }))
          .status,
      ).toBe(413);
    } finally {
      await t.stop();
    }
  });
});

describe('POST /api/v1/usage with analytics switched off', () => {
  it('when SWITCHYARD_ANALYTICS_ENABLED is false, then usage is refused with 403 saying so', async () => {
    const t = await startTestRelay({ analyticsEnabled: false });
    try {
      const answer = await t.call('POST', USAGE, { body: { events: [] } });
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('ANALYTICS_DISABLED');
    } finally {
      await t.stop();
    }
  });
});
