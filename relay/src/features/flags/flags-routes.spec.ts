import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectConcurrentUnversionedPatchesAllLand } from '../../http/testing/concurrent-patches.js';
import { startTestRelay, type TestRelay } from '../../http/testing/test-relay.js';

const FLAGS = '/api/v1/feature-flags';

function seedFlag(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    description: `the ${name} flag`,
    tags: ['checkout'],
    enabled: true,
    rolloutConfig: { strategy: 'percentage', percentage: 25 },
    environments: ['production', 'staging'],
    ...extra,
  };
}

describe('flag routes', () => {
  let t: TestRelay;
  beforeAll(async () => {
    t = await startTestRelay();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when a flag is created in the seed shape, then it is stored canonical at version 1 with an ETag and Location', async () => {
    const created = await t.call('POST', FLAGS, { body: seedFlag('create-me') });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`${FLAGS}/create-me`);
    expect(created.body).toMatchObject({ name: 'create-me', version: 1, type: 'boolean' });
    expect(created.body.environments.production).toEqual({
      enabled: true,
      rules: [{ strategy: 'percentage', percentage: 25 }],
      fallthrough: { serve: false },
    });
    const read = await t.call('GET', `${FLAGS}/create-me`);
    expect(read.status).toBe(200);
    const { affectedEnvironments, ...stored } = created.body;
    expect(affectedEnvironments).toEqual(['staging', 'production']);
    expect(read.body).toEqual(stored);
  });

  it('when the name is taken, then creating answers 409 FLAG_EXISTS', async () => {
    await t.call('POST', FLAGS, { body: seedFlag('taken') });
    const again = await t.call('POST', FLAGS, { body: seedFlag('taken') });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('FLAG_EXISTS');
  });

  it('when a flag is missing, then reading it answers 404 naming the environment searched', async () => {
    const anywhere = await t.call('GET', `${FLAGS}/no-such-flag`);
    expect(anywhere.status).toBe(404);
    expect(anywhere.body.code).toBe('FLAG_NOT_FOUND');
    await t.call('POST', FLAGS, { body: seedFlag('prod-and-staging') });
    const inDevelopment = await t.call('GET', `${FLAGS}/prod-and-staging?environment=development`);
    expect(inDevelopment.status).toBe(404);
    expect(inDevelopment.body.environment).toBe('development');
    expect(inDevelopment.body.detail).toContain('environment "development"');
  });

  it('when listing with filters and small pages, then every matching flag comes once, sorted, with a cursor between pages', async () => {
    for (const name of ['list-a', 'list-b', 'list-c'])
      await t.call('POST', FLAGS, { body: seedFlag(name, { tags: ['listing'] }) });
    await t.call('POST', FLAGS, { body: seedFlag('list-dev', { tags: ['listing'], environments: ['development'] }) });
    const names: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const query = `?tag=listing&environment=production&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const answer = await t.call('GET', `${FLAGS}${query}`);
      expect(answer.status).toBe(200);
      names.push(...answer.body.flags.map((flag: { name: string }) => flag.name));
      cursor = answer.body.nextCursor;
      if (!cursor) break;
    }
    expect(names).toEqual(['list-a', 'list-b', 'list-c']);
    const byText = await t.call('GET', `${FLAGS}?text=LIST-D`);
    expect(byText.body.flags.map((flag: { name: string }) => flag.name)).toEqual(['list-dev']);
  });

  it('when PUT names the version read, then the flag is replaced one version up; a stale version answers 409', async () => {
    const created = await t.call('POST', FLAGS, { body: seedFlag('replace-me') });
    const replaced = await t.call('PUT', `${FLAGS}/replace-me`, {
      body: { ...created.body, description: 'replaced' },
      headers: { 'if-match': '"1"' },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ description: 'replaced', version: 2 });
    const stale = await t.call('PUT', `${FLAGS}/replace-me`, { body: { ...created.body, version: 1 } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2, expectedVersion: 1 });
  });

  it('when writes name no version, then PATCH, PUT, rollback and DELETE apply to the version current', async () => {
    await t.call('POST', FLAGS, { body: seedFlag('plain-writes') });
    const patched = await t.call('PATCH', `${FLAGS}/plain-writes`, { body: { enabled: false } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ version: 2, environments: { production: { enabled: false } } });
    const replaced = await t.call('PUT', `${FLAGS}/plain-writes`, {
      body: seedFlag('plain-writes', { description: 'replaced' }),
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ version: 3, description: 'replaced' });
    const rolledBack = await t.call('POST', `${FLAGS}/plain-writes/rollback`, { body: { version: 2 } });
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.body).toMatchObject({
      version: 4,
      description: 'the plain-writes flag',
      environments: { production: { enabled: false } },
    });
    const deleted = await t.call('DELETE', `${FLAGS}/plain-writes`);
    expect(deleted.status).toBe(204);
    expect((await t.call('GET', `${FLAGS}/plain-writes`)).status).toBe(404);
  });

  it('when a write names a stale version, then it still answers 409 and changes nothing', async () => {
    await t.call('POST', FLAGS, { body: seedFlag('stale-writes') });
    await t.call('PATCH', `${FLAGS}/stale-writes`, { body: { owner: 'someone' } });
    const writes = [
      t.call('PATCH', `${FLAGS}/stale-writes`, { body: { enabled: false, version: 1 } }),
      t.call('PUT', `${FLAGS}/stale-writes`, { body: seedFlag('stale-writes'), headers: { 'if-match': '"1"' } }),
      t.call('POST', `${FLAGS}/stale-writes/rollback`, { body: { version: 1, expectedVersion: 1 } }),
      t.call('DELETE', `${FLAGS}/stale-writes`, { headers: { 'if-match': '"1"' } }),
    ];
    for (const answer of await Promise.all(writes))
      expect(answer.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
    expect((await t.call('GET', `${FLAGS}/stale-writes`)).body).toMatchObject({ version: 2, owner: 'someone' });
  });

  it('when clients PATCH different fields at once without a version, then every change lands', async () => {
    await expectConcurrentUnversionedPatchesAllLand([t], 'patched-at-once');
  });

  it('when PATCH changes the default environment, then only production changes', async () => {
    await t.call('POST', FLAGS, { body: seedFlag('patch-default') });
    const patched = await t.call('PATCH', `${FLAGS}/patch-default`, {
      body: { rolloutConfig: { percentage: 50 }, version: 1 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.environments.production.rules[0]).toEqual({ strategy: 'percentage', percentage: 50 });
    expect(patched.body.environments.staging.rules[0]).toEqual({ strategy: 'percentage', percentage: 25 });
    expect(patched.body.affectedEnvironments).toEqual(['production']);
  });

  it('when PATCH names no environment and the flag is shared by every environment (*), then * changes and every environment is affected', async () => {
    const shared = {
      enabled: true,
      rules: [{ strategy: 'percentage', percentage: 10 }],
      fallthrough: { serve: false },
    };
    await t.call('POST', FLAGS, { body: { name: 'shared-everywhere', environments: { '*': shared } } });
    const patched = await t.call('PATCH', `${FLAGS}/shared-everywhere`, {
      body: { rolloutConfig: { percentage: 60 } },
    });
    expect(patched.status).toBe(200);
    expect(Object.keys(patched.body.environments)).toEqual(['*']);
    expect(patched.body.environments['*'].rules[0].percentage).toBe(60);
    expect(patched.body.affectedEnvironments).toEqual(['development', 'staging', 'production']);
    expect(patched.headers.get('affected-environments')).toBe('development, staging, production');

    await t.call('POST', FLAGS, {
      body: { name: 'shared-but-staging', environments: { '*': shared, staging: { ...shared, enabled: false } } },
    });
    const partly = await t.call('PATCH', `${FLAGS}/shared-but-staging`, { body: { enabled: false } });
    expect(partly.body.environments['*'].enabled).toBe(false);
    expect(partly.body.affectedEnvironments).toEqual(['development', 'production']);
  });

  it('when a write changes a flag, then its answer lists exactly the environments whose evaluation it changes', async () => {
    const created = await t.call('POST', FLAGS, { body: seedFlag('affected') });
    expect(created.body.affectedEnvironments).toEqual(['staging', 'production']);
    const worded = await t.call('PATCH', `${FLAGS}/affected`, { body: { description: 'words only' } });
    expect(worded.body.affectedEnvironments).toEqual([]);
    expect(worded.headers.get('affected-environments')).toBe('');
    const production = await t.call('PATCH', `${FLAGS}/affected`, { body: { enabled: false } });
    expect(production.body.affectedEnvironments).toEqual(['production']);
    const flagWide = await t.call('PATCH', `${FLAGS}/affected`, { body: { clientVisible: false } });
    expect(flagWide.body.affectedEnvironments).toEqual(['staging', 'production']);
    const replaced = await t.call('PUT', `${FLAGS}/affected`, {
      body: {
        ...flagWide.body,
        environments: { ...flagWide.body.environments, development: flagWide.body.environments.staging },
      },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.affectedEnvironments).toEqual(['development']);
    const rolledBack = await t.call('POST', `${FLAGS}/affected/rollback`, { body: { version: 1 } });
    expect(rolledBack.body.affectedEnvironments).toEqual(['development', 'staging', 'production']);
    const deleted = await t.call('DELETE', `${FLAGS}/affected`);
    expect(deleted.headers.get('affected-environments')).toBe('staging, production');
  });

  it('when PATCH names an environment that only inherits from *, then * is copied first and stays as it was', async () => {
    const flag = {
      name: 'patch-star',
      environments: {
        '*': { enabled: true, rules: [{ strategy: 'percentage', percentage: 10 }], fallthrough: { serve: false } },
      },
    };
    await t.call('POST', FLAGS, { body: flag });
    const patched = await t.call('PATCH', `${FLAGS}/patch-star?environment=staging`, {
      body: { rolloutConfig: { percentage: 40 } },
      headers: { 'if-match': '1' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.environments.staging.rules[0].percentage).toBe(40);
    expect(patched.body.environments['*'].rules[0].percentage).toBe(10);
  });

  it('when PATCH names environment *, then the configuration every unlisted environment shares changes', async () => {
    await t.call('POST', FLAGS, { body: { name: 'patch-wildcard', enabled: false } });
    const patched = await t.call('PATCH', `${FLAGS}/patch-wildcard?environment=*`, {
      body: { enabled: true, version: 1 },
    });
    expect(patched.status).toBe(200);
    expect(Object.keys(patched.body.environments)).toEqual(['*']);
    expect(patched.body.environments['*'].enabled).toBe(true);
  });

  it('when PATCH enables an environment the flag has no configuration for, then it serves everyone there', async () => {
    await t.call('POST', FLAGS, { body: seedFlag('patch-new-env') });
    const patched = await t.call('PATCH', `${FLAGS}/patch-new-env`, {
      body: { environment: 'development', enabled: true, version: 1 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.environments.development).toEqual({ enabled: true, rules: [], fallthrough: { serve: true } });
  });

  it('when a flag changes, then its history lists every version and rollback restores one as a new version', async () => {
    await t.call('POST', FLAGS, { body: seedFlag('roll-me') });
    await t.call('PATCH', `${FLAGS}/roll-me`, { body: { rolloutConfig: { percentage: 90 }, version: 1 } });
    const history = await t.call('GET', `${FLAGS}/roll-me/history`);
    expect(history.status).toBe(200);
    expect(history.body.versions.map((flag: { version: number }) => flag.version)).toEqual([1, 2]);
    const rolledBack = await t.call('POST', `${FLAGS}/roll-me/rollback`, {
      body: { version: 1 },
      headers: { 'if-match': '"2"' },
    });
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.body.version).toBe(3);
    expect(rolledBack.body.environments.production.rules[0].percentage).toBe(25);
    const missing = await t.call('POST', `${FLAGS}/roll-me/rollback`, { body: { version: 42, expectedVersion: 3 } });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('VERSION_NOT_FOUND');
  });

  it('when a flag is deleted with its version, then it is gone; a stale delete answers 409', async () => {
    await t.call('POST', FLAGS, { body: seedFlag('delete-me') });
    const stale = await t.call('DELETE', `${FLAGS}/delete-me`, { headers: { 'if-match': '"7"' } });
    expect(stale.status).toBe(409);
    const deleted = await t.call('DELETE', `${FLAGS}/delete-me`, { headers: { 'if-match': '"1"' } });
    expect(deleted.status).toBe(204);
    expect((await t.call('GET', `${FLAGS}/delete-me`)).status).toBe(404);
  });

  it('when ten writers PATCH the same version at once, then exactly one succeeds and the others get 409', async () => {
    await t.call('POST', FLAGS, { body: seedFlag('contended') });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.call('PATCH', `${FLAGS}/contended`, {
          body: { rolloutConfig: { percentage: i * 10 } },
          headers: { 'if-match': '"1"' },
        }),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(9);
    const winner = answers.find((answer) => answer.status === 200)!;
    const stored = await t.call('GET', `${FLAGS}/contended`);
    expect(stored.body.version).toBe(2);
    expect(stored.body.environments.production.rules[0].percentage).toBe(
      winner.body.environments.production.rules[0].percentage,
    );
  });

  it('when the history is read a page at a time, then nextCursor leads through every version once, oldest first', async () => {
    await t.call('POST', FLAGS, { body: seedFlag('long-history') });
    for (let version = 1; version < 5; version++) {
      await t.call('PATCH', `${FLAGS}/long-history`, {
        body: { description: `v${version + 1}` },
        headers: { 'if-match': `"${version}"` },
      });
    }
    const seen: number[][] = [];
    let cursor: string | undefined;
    do {
      const page = await t.call(
        'GET',
        `${FLAGS}/long-history/history?limit=2${cursor === undefined ? '' : `&cursor=${cursor}`}`,
      );
      expect(page.status).toBe(200);
      seen.push(page.body.versions.map((flag: { version: number }) => flag.version));
      cursor = page.body.nextCursor;
    } while (cursor !== undefined);
    expect(seen).toEqual([[1, 2], [3, 4], [5]]);
    expect((await t.call('GET', `${FLAGS}/long-history/history?cursor=abc`)).body.errors[0]).toMatchObject({
      path: 'query.cursor',
    });
    expect((await t.call('GET', `${FLAGS}/long-history/history?limit=100000`)).body.errors[0]).toMatchObject({
      path: 'query.limit',
    });
  });

  it('when a server key reads the history of a flag its environment lacks, then 404 names its environment', async () => {
    await t.call('POST', FLAGS, {
      body: { name: 'production-only-history', environments: ['production'], enabled: true },
    });
    const serverKey = await t.keyFor('server', 'staging');
    const history = await t.call('GET', `${FLAGS}/production-only-history/history`, { key: serverKey });
    expect(history.status).toBe(404);
    expect(history.body.detail).toBe('flag "production-only-history" was not found in environment "staging"');
    const own = await t.call('GET', `${FLAGS}/production-only-history/history`, {
      key: await t.keyFor('server', 'production'),
    });
    expect(own.status).toBe(200);
  });

  it("when a server key reads flags, then it sees only its environment's configuration and may not name another", async () => {
    await t.call('POST', FLAGS, { body: seedFlag('server-view') });
    const serverKey = await t.keyFor('server', 'staging');
    const read = await t.call('GET', `${FLAGS}/server-view`, { key: serverKey });
    expect(read.status).toBe(200);
    expect(Object.keys(read.body.environments)).toEqual(['staging']);
    const other = await t.call('GET', `${FLAGS}?environment=production`, { key: serverKey });
    expect(other.status).toBe(403);
  });
});

describe('the flag change feed', () => {
  it('when flags are written, then subscribers get each change after it is applied to the evaluation cache', async () => {
    const t = await startTestRelay();
    try {
      const seen: Array<{ kind: string; flagName: string; revision: number; cached: boolean }> = [];
      const unsubscribe = t.relay.flags.changes.subscribe((record) => {
        const cached = t.relay.flagMap.get(record.flagName);
        seen.push({
          kind: record.kind,
          flagName: record.flagName,
          revision: record.revision,
          cached: record.kind === 'delete' ? cached === undefined : cached?.revision === record.revision,
        });
      });
      await t.call('POST', FLAGS, { body: seedFlag('fed') });
      await t.call('PATCH', `${FLAGS}/fed`, { body: { enabled: false, version: 1 } });
      await t.call('DELETE', `${FLAGS}/fed`, { headers: { 'if-match': '"2"' } });
      unsubscribe();
      await t.call('POST', FLAGS, { body: seedFlag('after-unsubscribe') });
      expect(seen.map(({ kind, flagName, cached }) => ({ kind, flagName, cached }))).toEqual([
        { kind: 'upsert', flagName: 'fed', cached: true },
        { kind: 'upsert', flagName: 'fed', cached: true },
        { kind: 'delete', flagName: 'fed', cached: true },
      ]);
      expect(seen[0]!.revision).toBeLessThan(seen[1]!.revision);
      expect(seen[1]!.revision).toBeLessThan(seen[2]!.revision);
    } finally {
      await t.stop();
    }
  });
});

describe('flag routes on a relay that requires write versions (SWITCHYARD_REQUIRE_WRITE_VERSION)', () => {
  let t: TestRelay;
  beforeAll(async () => {
    t = await startTestRelay({ requireWriteVersion: true });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when a write names no version, then PATCH, PUT, rollback and DELETE answer 428 and change nothing', async () => {
    await t.call('POST', FLAGS, { body: seedFlag('strict') });
    const writes = [
      t.call('PATCH', `${FLAGS}/strict`, { body: { enabled: false } }),
      t.call('PUT', `${FLAGS}/strict`, { body: seedFlag('strict', { description: 'replaced' }) }),
      t.call('POST', `${FLAGS}/strict/rollback`, { body: { version: 1 } }),
      t.call('DELETE', `${FLAGS}/strict`),
    ];
    for (const answer of await Promise.all(writes)) {
      expect(answer.status).toBe(428);
      expect(answer.body.code).toBe('VERSION_REQUIRED');
      expect(answer.body.detail).toContain('SWITCHYARD_REQUIRE_WRITE_VERSION');
    }
    expect((await t.call('GET', `${FLAGS}/strict`)).body.version).toBe(1);
  });

  it('when a write adds ?force=true or names its version, then it applies', async () => {
    await t.call('POST', FLAGS, { body: seedFlag('strict-forced') });
    const forced = await t.call('PATCH', `${FLAGS}/strict-forced?force=true`, { body: { enabled: false } });
    expect(forced.status).toBe(200);
    expect(forced.body.environments.production.enabled).toBe(false);
    const named = await t.call('DELETE', `${FLAGS}/strict-forced`, { headers: { 'if-match': '"2"' } });
    expect(named.status).toBe(204);
  });
});
