import type { Flag } from '@switchyard/core';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleFixture, goTo, UI_TIMEOUT_MS, waitForScreen } from './console-browser.js';
import { expectNoProblems } from './console-checks.js';

/** The console's flag screens (list, detail, kill switch, editor, review, conflict, gradual, live) in Chromium against a real relay. */
let fixture: ConsoleFixture;
beforeAll(async () => {
  fixture = await ConsoleFixture.start();
});
afterAll(async () => {
  await fixture?.close();
});

const seen = { timeout: UI_TIMEOUT_MS };

/** A flag of this test's own, served to `percentage`% in production. */
async function rolloutFlag(name: string, percentage: number, extra: Partial<Flag> = {}): Promise<Flag> {
  return fixture.admin.createFlag({
    name,
    description: 'console test flag',
    tags: ['console-test'],
    environments: {
      production: { enabled: true, rules: [{ strategy: 'percentage', percentage }], fallthrough: { serve: false } },
    },
    ...extra,
  });
}

/** Presses Tab until `target` has the focus (keyboard only), at most `limit` times. */
async function tabTo(page: Page, target: Locator, limit = 60): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${String(target)}`);
}

async function openFlag(page: Page, name: string): Promise<void> {
  await goTo(page, `/flags/${name}`);
  await waitForScreen(page, name);
}

describe('sign-in', () => {
  it('when a wrong key is entered, then one line says so; a right one is kept in sessionStorage only, and sign-out forgets it', async () => {
    const opened = await fixture.open();
    const { page } = opened;
    await page.getByLabel('API key').fill('sy_admin_0000000000000000_wrong');
    await page.getByLabel('API key').press('Enter');
    await expect(page.getByRole('alert').textContent(seen)).resolves.toBe('This API key is unknown or revoked.');
    await page.getByLabel('API key').fill(fixture.keys.editor);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor(seen);
    const stored = await page.evaluate(() => ({
      session: Object.values(sessionStorage),
      local: Object.keys(localStorage).length,
      cookie: document.cookie,
      url: location.href,
    }));
    expect(stored.session).toEqual([fixture.keys.editor]);
    expect(stored).toMatchObject({ local: 0, cookie: '' });
    expect(stored.url).not.toContain(fixture.keys.editor);
    expect((await opened.context.cookies()).length).toBe(0);
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).click(seen);
    await page.getByLabel('API key').waitFor(seen);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expectNoProblems({ ...opened, problems: opened.problems.filter((problem) => !problem.includes('401')) });
    await opened.close();
  });

  it('when an application key (server) signs in, then the console refuses it in one line', async () => {
    const { key } = await fixture.admin.createKey('server', 'production');
    const opened = await fixture.open();
    await opened.page.getByLabel('API key').fill(key);
    await opened.page.getByLabel('API key').press('Enter');
    await expect(opened.page.getByRole('alert').textContent(seen)).resolves.toMatch(/a server key is for applications/);
    expect(await opened.page.evaluate(() => sessionStorage.length)).toBe(0);
    await opened.close();
  });
});

describe('roles', () => {
  it('when a viewer opens a flag, then it sees every setting and no enabled control that would change it', async () => {
    await rolloutFlag('viewer-sees', 30);
    const opened = await fixture.signIn('viewer');
    const { page } = opened;
    await expect(page.getByRole('link', { name: 'API keys' }).count()).resolves.toBe(0);
    await openFlag(page, 'viewer-sees');
    await expect(page.getByText('shown read-only').count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: /Turn (on|off) in/ }).count()).resolves.toBe(0);
    await expect(page.getByLabel('Percentage', { exact: true }).inputValue()).resolves.toBe('30');
    const enabledEditors = await page
      .locator('form.editor')
      .locator('input:enabled, select:enabled, textarea:enabled, button:visible:enabled')
      .count();
    expect(enabledEditors).toBe(0);
    await expect(page.getByRole('button', { name: 'Evaluate' }).isEnabled()).resolves.toBe(true);
    expectNoProblems(opened);
    await opened.close();
  });

  it('when an editor signs in, then API keys are not offered; an admin is offered them', async () => {
    const editor = await fixture.signIn('editor');
    await expect(editor.page.getByRole('link', { name: 'API keys' }).count()).resolves.toBe(0);
    await editor.close();
    const admin = await fixture.signIn('admin');
    await expect(admin.page.getByRole('link', { name: 'API keys' }).count()).resolves.toBe(1);
    await admin.close();
  });
});

describe('flags list', () => {
  it('when searching by name and filtering by tag, owner and stale, then only matching flags are listed', async () => {
    await rolloutFlag('list-filter-a', 10, { owner: 'list-owner' });
    await rolloutFlag('list-filter-b', 10, { tags: ['other-tag'] });
    const opened = await fixture.signIn('viewer');
    const { page } = opened;
    await waitForScreen(page, /^Flags$/);
    const names = () => page.locator('table.flag-table tbody th a').allTextContents();
    await page.getByLabel('Search by name').fill('list-filter');
    await expect.poll(names, seen).toEqual(['list-filter-a', 'list-filter-b']);
    await page.getByLabel('Tag').selectOption('other-tag');
    await expect.poll(names, seen).toEqual(['list-filter-b']);
    await page.getByLabel('Tag').selectOption('');
    await page.getByLabel('Owner').selectOption('list-owner');
    await expect.poll(names, seen).toEqual(['list-filter-a']);
    await page.getByLabel('Owner').selectOption('');
    await page.getByLabel('Search by name').fill('');
    await page.getByLabel('Stale only').check();
    await expect.poll(names, seen).toEqual(['holiday-banner-2025', 'legacy-search']);
    await opened.close();
  });

  it('when a flag changes through the REST API, then the list shows it within moments, without a reload', async () => {
    await rolloutFlag('live-list', 10);
    const opened = await fixture.signIn('viewer');
    const { page } = opened;
    await page.getByLabel('Search by name').fill('live-list');
    const row = page.getByRole('row', { name: /live-list/ });
    await expect.poll(() => row.textContent(), seen).toContain('10%');
    await fixture.admin.updateFlag('live-list', (flag) => {
      flag.environments.production!.rules[0]!.percentage = 35;
      return flag;
    });
    await expect.poll(() => row.textContent(), seen).toContain('35%');
    await expect(page.getByRole('status').filter({ hasText: 'Live' }).count()).resolves.toBe(1);
    await opened.close();
  });
});

describe('flag detail', () => {
  it('when an editor uses the kill switch with the keyboard only, then a dialog names the environment and the flag turns off there alone', async () => {
    await rolloutFlag('kill-me', 50, {
      environments: {
        production: {
          enabled: true,
          rules: [{ strategy: 'percentage', percentage: 50 }],
          fallthrough: { serve: false },
        },
        staging: { enabled: true, rules: [], fallthrough: { serve: true } },
      },
    });
    const opened = await fixture.signIn('editor');
    const { page } = opened;
    await page.getByLabel('Search by name').fill('kill-me');
    const link = page.getByRole('link', { name: 'kill-me' });
    await tabTo(page, link);
    await page.keyboard.press('Enter');
    await waitForScreen(page, 'kill-me');
    await tabTo(page, page.getByRole('button', { name: 'Turn off in production' }));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Turn off kill-me in production?' });
    await dialog.waitFor(seen);
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Turn off in production');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    const stored = await fixture.admin.getFlag('kill-me');
    expect(stored.environments.production!.enabled).toBe(false);
    expect(stored.environments.staging!.enabled).toBe(true);
    await page.getByRole('button', { name: 'Turn on in production' }).waitFor(seen);
    expectNoProblems(opened);
    await opened.close();
  });

  it('when an editor moves a rollout from 10% to 50%, then the review shows the diff and 40% of users affected, and saving sends the version read', async () => {
    await rolloutFlag('move-rollout', 10);
    const opened = await fixture.signIn('editor');
    const { page } = opened;
    await openFlag(page, 'move-rollout');
    await page.getByLabel('Percentage', { exact: true }).fill('50');
    await page.getByRole('button', { name: 'Review changes' }).click();
    const review = page.getByRole('region', { name: 'Review before saving' });
    await expect(review.textContent(seen)).resolves.toContain(
      'production: 10% → 50% of users served: about 40% of users affected',
    );
    await expect(page.getByRole('region', { name: 'Your change' }).textContent()).resolves.toMatch(
      /removed: .*"percentage": 10.*added: .*"percentage": 50/s,
    );
    await page.getByRole('button', { name: 'Save as version 2' }).click();
    await page.getByText('Saved as version 2.').waitFor(seen);
    const stored = await fixture.admin.getFlag('move-rollout');
    expect(stored.version).toBe(2);
    expect(stored.environments.production!.rules[0]!.percentage).toBe(50);
    expectNoProblems(opened);
    await opened.close();
  });

  it('when an editor unticks "Visible to browsers", then the review shows it, the list marks the flag and a client key\'s OFREP bulk call no longer lists it', async () => {
    await rolloutFlag('browser-visible', 100);
    const clientKey = (
      await fixture.admin.request<{ key: string }>('POST', '/api/v1/api-keys', {
        name: 'console client',
        role: 'client',
        environment: 'production',
      })
    ).key;
    const bulkFlagKeys = async (): Promise<string[]> => {
      const response = await fetch(`${fixture.relay.url}/ofrep/v1/evaluate/flags`, {
        method: 'POST',
        headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ context: { targetingKey: 'u1' } }),
      });
      return ((await response.json()) as { flags: Array<{ key: string }> }).flags.map((flag) => flag.key);
    };
    await expect(bulkFlagKeys()).resolves.toContain('browser-visible');
    const opened = await fixture.signIn('editor');
    const { page } = opened;
    await openFlag(page, 'browser-visible');
    const visible = page.getByRole('checkbox', { name: 'Visible to browsers (client keys)' });
    await expect(visible.isChecked()).resolves.toBe(true);
    await visible.uncheck();
    await page.getByRole('button', { name: 'Review changes' }).click();
    await expect(page.getByRole('region', { name: 'Your change' }).textContent(seen)).resolves.toMatch(
      /"clientVisible": false/,
    );
    await page.getByRole('button', { name: 'Save as version 2' }).click();
    await page.getByText('Saved as version 2.').waitFor(seen);
    await expect(fixture.admin.getFlag('browser-visible')).resolves.toMatchObject({ clientVisible: false });
    await expect(bulkFlagKeys()).resolves.not.toContain('browser-visible');
    await goTo(page, '/');
    await page.getByLabel('Search by name').fill('browser-visible');
    const row = page.getByRole('row', { name: /browser-visible/ });
    await expect.poll(() => row.textContent(), seen).toContain('server only');
    expectNoProblems(opened);
    await opened.close();
  });

  it('when variant weights do not add up, then the form shows the message the relay answers for the same flag and cannot be saved', async () => {
    await rolloutFlag('bad-weights', 10, {
      type: 'string',
      variants: [
        { name: 'a', value: 'x', weight: 50 },
        { name: 'b', value: 'y', weight: 50 },
      ],
    });
    const opened = await fixture.signIn('editor');
    const { page } = opened;
    await openFlag(page, 'bad-weights');
    await page.getByLabel('Weight (%)').first().fill('60');
    const flag = await fixture.admin.getFlag('bad-weights');
    flag.variants[0]!.weight = 60;
    const { version, createdAt, updatedAt, revision, ...body } = flag as Flag & { revision: number };
    const answer = await fetch(`${fixture.relay.url}/api/v1/feature-flags/bad-weights`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${fixture.keys.editor}`,
        'content-type': 'application/json',
        'if-match': `"${version}"`,
      },
      body: JSON.stringify(body),
    });
    const problem = (await answer.json()) as { errors: Array<{ message: string }> };
    expect(answer.status).toBe(400);
    for (const { message } of problem.errors) await page.getByText(message, { exact: true }).first().waitFor(seen);
    await expect(page.getByRole('button', { name: 'Review changes' }).isDisabled()).resolves.toBe(true);
    await opened.close();
  });

  it("when someone else saves while the editor reviews, then saving shows their change, re-applies the editor's, and saves both without overwriting", async () => {
    await rolloutFlag('concurrent', 10);
    const opened = await fixture.signIn('editor');
    const { page } = opened;
    await openFlag(page, 'concurrent');
    await page.getByLabel('Percentage', { exact: true }).fill('30');
    await page.getByRole('button', { name: 'Review changes' }).click();
    await fixture.admin.updateFlag('concurrent', (flag) => ({ ...flag, description: 'changed by someone else' }));
    await page.getByRole('button', { name: 'Save as version 2' }).click();
    await page.getByText('Someone else saved version 2 first').waitFor(seen);
    await expect(page.getByRole('region', { name: 'Their change' }).textContent()).resolves.toContain(
      'changed by someone else',
    );
    expect((await fixture.admin.getFlag('concurrent')).environments.production!.rules[0]!.percentage).toBe(10);
    await page.getByRole('button', { name: 'Save as version 3' }).click();
    await page.getByText('Saved as version 3.').waitFor(seen);
    const stored = await fixture.admin.getFlag('concurrent');
    expect(stored.description).toBe('changed by someone else');
    expect(stored.environments.production!.rules[0]!.percentage).toBe(30);
    await opened.close();
  });

  it('when the flag changes underneath an edit form, then the form says so and keeps the edits', async () => {
    await rolloutFlag('underneath', 10);
    const opened = await fixture.signIn('editor');
    const { page } = opened;
    await openFlag(page, 'underneath');
    await page.getByLabel('Description').fill('my edit');
    await fixture.admin.updateFlag('underneath', (flag) => {
      flag.environments.production!.rules[0]!.percentage = 20;
      return flag;
    });
    await page.getByText('Someone else saved this flag (version 1 → 2) while you were editing').waitFor(seen);
    await expect(page.getByLabel('Description').inputValue()).resolves.toBe('my edit');
    await page.getByRole('button', { name: 'Re-apply my edits on version 2' }).click();
    await page.getByRole('button', { name: 'Save as version 3' }).click();
    await page.getByText('Saved as version 3.').waitFor(seen);
    const stored = await fixture.admin.getFlag('underneath');
    expect(stored).toMatchObject({ description: 'my edit' });
    expect(stored.environments.production!.rules[0]!.percentage).toBe(20);
    await opened.close();
  });

  it("when a user context is evaluated, then the relay's value, variant and reason are shown", async () => {
    const opened = await fixture.signIn('viewer');
    const { page } = opened;
    await openFlag(page, 'new-checkout');
    await page.getByLabel('userId').fill('alice');
    await page.getByRole('button', { name: 'Evaluate' }).click();
    const result = page.locator('dl.result').first();
    await expect(result.textContent(seen)).resolves.toMatch(/Valuetrue.*ReasonTARGETING_MATCH/);
    const relay = await fixture.admin.evaluate('new-checkout', { userId: 'alice' }, 'production');
    expect(relay).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
    await opened.close();
  });

  it("when an editor pauses and resumes a gradual rollout, then the relay's rule follows and the scheduler status is shown", async () => {
    await fixture.admin.createFlag({
      name: 'gradual-pause',
      environments: {
        production: {
          enabled: true,
          rules: [
            {
              strategy: 'gradual',
              percentage: 10,
              gradualIncrement: 10,
              gradualPeriodSeconds: 86_400,
              maxPercentage: 60,
              startDate: new Date().toISOString(),
            },
          ],
          fallthrough: { serve: false },
        },
      },
    });
    const opened = await fixture.signIn('editor');
    const { page } = opened;
    await openFlag(page, 'gradual-pause');
    await page.getByText(/^Scheduler: /).waitFor(seen);
    await page.getByRole('button', { name: 'Pause in production' }).click();
    await page.getByRole('button', { name: 'Resume in production' }).waitFor(seen);
    expect((await fixture.admin.getFlag('gradual-pause')).environments.production!.rules[0]!.paused).toBe(true);
    await page.getByRole('button', { name: 'Resume in production' }).click();
    await page.getByRole('button', { name: 'Pause in production' }).waitFor(seen);
    expect((await fixture.admin.getFlag('gradual-pause')).environments.production!.rules[0]!.paused).toBeUndefined();
    await expect(
      page
        .getByRole('row', { name: /production/ })
        .filter({ hasText: '+10% every day' })
        .count(),
    ).resolves.toBe(1);
    await opened.close();
  });
});

describe('many flags', () => {
  it('when the relay holds 1,200 flags, then the list reads them all (more than a page of the relay), shows 50 a page and finds one by name', async () => {
    const names = Array.from({ length: 1200 }, (_, index) => `bulk-${String(index).padStart(4, '0')}`);
    for (let start = 0; start < names.length; start += 50) {
      await Promise.all(names.slice(start, start + 50).map((name) => rolloutFlag(name, 5)));
    }
    const opened = await fixture.signIn('viewer');
    const { page } = opened;
    await page.getByLabel('Search by name').fill('bulk-');
    await page.getByText('1200 of').waitFor(seen);
    await expect(page.locator('table.flag-table tbody tr').count()).resolves.toBe(50);
    await page.getByText('Page 1 of 24').waitFor(seen);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.locator('table.flag-table tbody th a').first().textContent(seen)).resolves.toBe('bulk-0050');
    await page.getByLabel('Search by name').fill('bulk-1199');
    await expect.poll(() => page.locator('table.flag-table tbody th a').allTextContents(), seen).toEqual(['bulk-1199']);
    await opened.close();
  });
});
