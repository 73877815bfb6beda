import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../http/testing/test-relay.js';

const FLAGS = '/api/v1/feature-flags';

function flagWithUserIds(name: string, count: number) {
  const userIds = Array.from({ length: count }, (_, i) => `user-${i}`);
  return { name, environments: { production: { enabled: true, rules: [{ strategy: 'user_list', userIds }] } } };
}

describe('flag limits of a relay started with lower ones', () => {
  let t: TestRelay;
  beforeAll(async () => {
    t = await startTestRelay({ flagMaxUserIds: 2, flagMaxRules: 1 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('when a flag lists more user ids than SWITCHYARD_FLAG_MAX_USER_IDS, then POST answers 400 naming the limit', async () => {
    const answer = await t.call('POST', FLAGS, { body: flagWithUserIds('too-many-users', 3) });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toContainEqual({
      path: 'environments.production.rules[0].userIds',
      expected: 'at most 2 user ids',
      message: 'environments.production.rules[0].userIds: expected at most 2 user ids, got 3 of them',
    });
  });

  it('when a flag keeps within the limits, then it is created', async () => {
    expect((await t.call('POST', FLAGS, { body: flagWithUserIds('few-users', 2) })).status).toBe(201);
  });

  it('when a PATCH adds a rule past SWITCHYARD_FLAG_MAX_RULES, then it answers 400 naming the limit and the flag is unchanged', async () => {
    const rules = [
      { strategy: 'user_list', userIds: ['a'] },
      { strategy: 'percentage', percentage: 10 },
    ];
    const answer = await t.call('PATCH', `${FLAGS}/few-users?force=true`, { body: { rules } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((problem: { expected: string }) => problem.expected)).toContain('at most 1 rules');
    expect((await t.call('GET', `${FLAGS}/few-users`)).body.version).toBe(1);
  });
});
