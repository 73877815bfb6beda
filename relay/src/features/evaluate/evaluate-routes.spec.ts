import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../http/testing/test-relay.js';

const FLAGS = '/api/v1/feature-flags';
const EVALUATE = `${FLAGS}/evaluate`;

describe('POST /api/v1/feature-flags/evaluate', () => {
  let t: TestRelay;
  beforeAll(async () => {
    t = await startTestRelay({ logLevel: 'debug' });
    await t.call('POST', FLAGS, {
      body: {
        name: 'premium-feature',
        enabled: true,
        environments: ['production', 'staging'],
        rolloutConfig: {
          strategy: 'user_attribute',
          targetingRules: [{ attribute: 'plan', operator: 'in', values: ['premium'] }],
        },
      },
    });
    await t.call('POST', FLAGS, {
      body: {
        name: 'everyone',
        enabled: true,
        environments: ['production'],
        rolloutConfig: { strategy: 'percentage', percentage: 100 },
      },
    });
    await t.call('POST', FLAGS, {
      body: {
        name: 'dev-only',
        enabled: true,
        environments: ['development'],
        rolloutConfig: { strategy: 'percentage', percentage: 100 },
      },
    });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when one flag is named, then one result answers, with the cache TTL as Cache-Control', async () => {
    const premium = await t.call('POST', EVALUATE, {
      body: { flagName: 'premium-feature', userContext: { userId: 'u1', plan: 'premium' } },
    });
    expect(premium.status).toBe(200);
    expect(premium.headers.get('cache-control')).toBe('private, max-age=300');
    expect(premium.body).toEqual({
      flagName: 'premium-feature',
      value: true,
      variant: 'on',
      enabled: true,
      reason: 'TARGETING_MATCH',
    });
    const free = await t.call('POST', EVALUATE, {
      body: { flagName: 'premium-feature', userContext: { userId: 'u1', plan: 'free' } },
    });
    expect(free.body).toMatchObject({ value: false, enabled: false });
  });

  it('when no flag is named, then every flag of the environment answers, keyed by name', async () => {
    const all = await t.call('POST', EVALUATE, { body: { userContext: { userId: 'u1' } } });
    expect(all.status).toBe(200);
    expect(all.body.environment).toBe('production');
    expect(Object.keys(all.body.results)).toEqual(['everyone', 'premium-feature']);
    const development = await t.call('POST', EVALUATE, { body: { environment: 'development' } });
    expect(Object.keys(development.body.results)).toEqual(['dev-only']);
  });

  it('when an empty body is sent, then it means every flag of the default environment', async () => {
    const answer = await t.call('POST', EVALUATE, {});
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body.results)).toEqual(['everyone', 'premium-feature']);
  });

  it('when flagNames lists a flag the environment lacks, then its result is FLAG_NOT_FOUND naming the environment', async () => {
    const answer = await t.call('POST', EVALUATE, {
      body: { flagNames: ['everyone', 'dev-only'], userContext: { userId: 'u2' } },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.results.everyone).toMatchObject({ value: true, enabled: true });
    expect(answer.body.results['dev-only']).toMatchObject({
      value: null,
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
      errorMessage: 'flag "dev-only" was not found in environment "production"',
    });
  });

  it('when flagNames holds names that are also object properties, then each still gets its own result', async () => {
    const answer = await t.call('POST', EVALUATE, {
      body: { flagNames: ['__proto__', 'everyone', 'constructor', 'toString'] },
    });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body.results).sort()).toEqual(['__proto__', 'constructor', 'everyone', 'toString']);
    expect(answer.body.results.constructor).toMatchObject({ reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
  });

  it('when the one flag named is not in the environment, then 404 says which environment was searched', async () => {
    const answer = await t.call('POST', EVALUATE, { body: { flagName: 'dev-only', environment: 'staging' } });
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ code: 'FLAG_NOT_FOUND', flagName: 'dev-only', environment: 'staging' });
  });

  it('when a flag changes, then the next evaluation sees the change', async () => {
    await t.call('POST', FLAGS, {
      body: {
        name: 'flip',
        enabled: true,
        environments: ['production'],
        rolloutConfig: { strategy: 'percentage', percentage: 100 },
      },
    });
    expect((await t.call('POST', EVALUATE, { body: { flagName: 'flip' } })).body.value).toBe(true);
    await t.call('PATCH', `${FLAGS}/flip`, { body: { enabled: false, version: 1 } });
    expect((await t.call('POST', EVALUATE, { body: { flagName: 'flip' } })).body).toMatchObject({
      value: false,
      reason: 'DISABLED',
    });
    await t.call('DELETE', `${FLAGS}/flip`, { headers: { 'if-match': '"2"' } });
    expect((await t.call('POST', EVALUATE, { body: { flagName: 'flip' } })).status).toBe(404);
  });

  it('when a client key evaluates, then its own environment is used and naming another answers 403', async () => {
    const client = await t.keyFor('client', 'development');
    const own = await t.call('POST', EVALUATE, { key: client, body: { userContext: { userId: 'u1' } } });
    expect(own.status).toBe(200);
    expect(own.body.environment).toBe('development');
    const other = await t.call('POST', EVALUATE, { key: client, body: { environment: 'production' } });
    expect(other.status).toBe(403);
  });

  it('when the log level is debug, then each evaluation logs its reason and rule', async () => {
    await t.call('POST', EVALUATE, {
      body: { flagName: 'premium-feature', userContext: { userId: 'debug-user', plan: 'premium' } },
    });
    const line = t.logs
      .map((text) => JSON.parse(text))
      .find((entry) => entry.msg === 'flag evaluated' && entry.targetingKey === 'debug-user');
    expect(line).toMatchObject({
      level: 'debug',
      flagName: 'premium-feature',
      reason: 'TARGETING_MATCH',
      ruleIndex: 0,
      why: 'rule 0 served the user',
    });
  });

  it('when evaluations run, then /metrics counts them by reason and errors by code', async () => {
    const metrics = await t.call('GET', '/metrics', { key: null });
    expect(metrics.text).toMatch(
      /switchyard_evaluations_total\{environment="production",reason="TARGETING_MATCH"\} [1-9]/,
    );
    expect(metrics.text).toMatch(/switchyard_evaluation_errors_total\{code="FLAG_NOT_FOUND"\} [1-9]/);
  });
});
