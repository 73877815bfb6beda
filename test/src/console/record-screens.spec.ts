import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './axe-scan.js';
import { ConsoleFixture, PHONE, UI_TIMEOUT_MS, waitForScreen } from './console-browser.js';
import { EXPERIMENT_FLAG, SKEWED_EXPERIMENT_FLAG, YOUNG_EXPERIMENT_FLAG } from './sample-data.js';

/**
 * The history, audit, stale-flag, API-key and analytics screens, end to end in Chromium against a
 * real relay. Pages of 5 (SWITCHYARD_MAX_PAGE_SIZE), so the screens must read page after page.
 */
let fixture: ConsoleFixture;
beforeAll(async () => {
  fixture = await ConsoleFixture.start({ SWITCHYARD_MAX_PAGE_SIZE: '5', SWITCHYARD_DEFAULT_PAGE_SIZE: '5' });
});
afterAll(async () => {
  await fixture?.close();
});

const seen = { timeout: UI_TIMEOUT_MS };

/** Every audit entry, read from the relay page by page, newest first. */
async function allAuditEntries(query = ''): Promise<Array<{ at: string; action: string; actor: string }>> {
  const entries: Array<{ at: string; action: string; actor: string }> = [];
  let cursor: string | undefined;
  do {
    const page = await fixture.admin.request<{ entries: typeof entries; nextCursor?: string }>(
      'GET',
      `/api/v1/audit?limit=5${query}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    entries.push(...page.entries);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return entries;
}

async function keyWorks(key: string): Promise<number> {
  return (await fetch(`${fixture.relay.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${key}` } })).status;
}

describe('history and rollback', () => {
  it('when an editor rolls back to version 2 from the keyboard, then a new version has its configuration, with who and what changed', async () => {
    const opened = await fixture.signIn('editor', undefined, '/flags/new-checkout/history');
    const { page } = opened;
    await waitForScreen(page, /History and rollback: new-checkout/);
    const versions = page.locator('ol.versions > li');
    await expect(versions.count()).resolves.toBe(4);
    await expect(versions.nth(1).textContent()).resolves.toMatch(
      /Version 3.*Flag replaced by admin.*production › rule 2 "rollout" › percentage\s*25\s*→\s*50/,
    );
    await expect(versions.nth(3).textContent()).resolves.toMatch(/Version 1.*Flag created by admin/);

    await page.getByRole('button', { name: 'Roll back to version 2' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Roll back new-checkout to version 2?' });
    await dialog.waitFor(seen);
    await expect(dialog.textContent()).resolves.toMatch(/percentage\s*50\s*→\s*25/);
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Cancel');
    await expectAccessible(page, 'the rollback dialog');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByText('Rolled back to version 2: the flag is now at version 5.').waitFor(seen);

    const flag = await fixture.admin.getFlag('new-checkout');
    expect(flag.version).toBe(5);
    expect(flag.environments.production!.rules[1]!.percentage).toBe(25);
    await expect.poll(() => versions.count(), seen).toBe(5);
    await expect(versions.first().textContent()).resolves.toMatch(
      /Version 5.*current.*Flag rolled back by console editor \(editor\).*percentage\s*50\s*→\s*25/,
    );
    await opened.close();
  });

  it('when a viewer opens the history, then it is read-only: no rollback buttons', async () => {
    const opened = await fixture.signIn('viewer', PHONE, '/flags/new-checkout/history');
    await waitForScreen(opened.page, /History and rollback/);
    await expect(opened.page.locator('ol.versions > li').count()).resolves.toBeGreaterThanOrEqual(4);
    await expect(opened.page.getByRole('button', { name: /Roll back/ }).count()).resolves.toBe(0);
    await opened.close();
  });
});

describe('audit log', () => {
  async function filter(
    page: Page,
    values: { flag?: string; actor?: string; action?: string; from?: string; to?: string },
  ) {
    await page.getByRole('button', { name: 'Clear' }).click();
    if (values.flag !== undefined) await page.getByLabel('Flag', { exact: true }).fill(values.flag);
    if (values.actor !== undefined) await page.getByLabel('Actor', { exact: true }).fill(values.actor);
    if (values.action !== undefined) await page.getByLabel('Action', { exact: true }).selectOption(values.action);
    if (values.from !== undefined) await page.getByLabel('From', { exact: true }).fill(values.from);
    if (values.to !== undefined) await page.getByLabel('To', { exact: true }).fill(values.to);
    await page.getByRole('button', { name: 'Apply filters' }).click();
  }
  const status = (page: Page) => page.locator('section p[role="status"]').first().textContent();

  it('when no filter is set, then it reads every page and shows every entry, newest first, and a change made elsewhere appears without a reload', async () => {
    const expected = await allAuditEntries();
    expect(expected.length).toBeGreaterThan(10);
    const opened = await fixture.signIn('viewer', undefined, '/audit');
    const { page } = opened;
    await waitForScreen(page, /^Audit log$/);
    await expect.poll(() => status(page), seen).toBe(`Showing ${expected.length} entries, every matching entry.`);
    const times = await page
      .locator('ol.audit-entries time')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('datetime')));
    expect(times).toEqual(expected.map((entry) => entry.at));

    await fixture.admin.updateFlag('payments-kill-switch', (flag) => ({
      ...flag,
      description: 'Changed while the audit log is open',
    }));
    await expect.poll(() => status(page), seen).toBe(`Showing ${expected.length + 1} entries, every matching entry.`);
    await expect(page.locator('ol.audit-entries > li').first().textContent()).resolves.toMatch(
      /Flag replaced\s*payments-kill-switch/,
    );
    const timesNow = await page
      .locator('ol.audit-entries time')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('datetime')));
    expect(timesNow).toEqual((await allAuditEntries()).map((entry) => entry.at));
    await opened.close();
  });

  it('when filtered by flag, actor, action and time, then only matching entries show', async () => {
    const opened = await fixture.signIn('viewer', undefined, '/audit');
    const { page } = opened;
    await waitForScreen(page, /^Audit log$/);
    await filter(page, { flag: 'new-checkout', action: 'flag.update' });
    await expect.poll(() => status(page), seen).toBe('Showing 3 entries, every matching entry.');
    await filter(page, { actor: 'ADMIN (switchyard', action: 'api-key.create' });
    await expect.poll(() => status(page), seen).toBe('Showing 2 entries, every matching entry.');
    await expect(page.locator('ol.audit-entries').textContent()).resolves.toMatch(/"console viewer" \(viewer\)/);
    await filter(page, { from: '2999-01-01T00:00' });
    await expect.poll(() => status(page), seen).toBe('No entries match.');
    const dayAgo = new Date(Date.now() - 24 * 3600 * 1000);
    const local = new Date(dayAgo.getTime() - dayAgo.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    const before = (await allAuditEntries()).filter((entry) => entry.at <= new Date(local).toISOString());
    expect(before.length).toBeGreaterThan(0);
    await filter(page, { to: local });
    await expect
      .poll(() => status(page), seen)
      .toBe(`Showing ${before.length} ${before.length === 1 ? 'entry' : 'entries'}, every matching entry.`);
    await opened.close();
  });
});

describe('stale flags', () => {
  it('when the report shows, then each stale flag has its owner and a link that opens the flag', async () => {
    const opened = await fixture.signIn('viewer', PHONE, '/stale');
    const { page } = opened;
    await waitForScreen(page, /^Stale flags$/);
    const report = await fixture.admin.request<{ flags: Array<{ flagName: string; owner: string | null }> }>(
      'GET',
      '/api/v1/reports/stale-flags?days=30',
    );
    const rows = page.locator('table.data-table tbody tr');
    await expect.poll(() => rows.count(), seen).toBe(report.flags.length);
    await expect(page.getByRole('row', { name: /legacy-search/ }).textContent()).resolves.toMatch(
      /search-team.*Not evaluated/,
    );
    await page.getByRole('link', { name: 'holiday-banner-2025' }).click();
    await page.waitForFunction(() => window.location.hash === '#/flags/holiday-banner-2025', undefined, seen);
    await opened.close();
  });
});

describe('API keys', () => {
  it('when an admin creates a server key, then its secret shows once with a working copy button; revoking it after a confirmation stops it', async () => {
    const opened = await fixture.signIn('admin', undefined, '/api-keys');
    const { page, context } = opened;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: fixture.relay.url });
    await waitForScreen(page, /^API keys$/);
    await page.getByLabel('Name').fill('checkout-service');
    await page.getByLabel('Role').selectOption('server');
    await page.getByLabel('Environment').selectOption('staging');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByLabel('The new key').waitFor(seen);
    const secret = await page.getByLabel('The new key').inputValue();
    await expectAccessible(page, 'the new key shown once');
    expect(secret).toMatch(/^sy_server_/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied to the clipboard.').waitFor(seen);
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(secret);
    expect(await keyWorks(secret!)).toBe(200);
    const row = page.getByRole('row', { name: /checkout-service/ });
    await expect(row.textContent()).resolves.toMatch(/server.*staging/);
    await page.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByLabel('The new key').count()).resolves.toBe(0);
    await expect(page.content()).resolves.not.toContain(secret!);

    await row.getByRole('button', { name: /Revoke checkout-service/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke the key "checkout-service"?' });
    await dialog.waitFor(seen);
    await expectAccessible(page, 'the revoke dialog');
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await expect.poll(() => row.textContent(), seen).toMatch(/revoked/);
    expect(await keyWorks(secret!)).toBe(401);
    await opened.close();
  });

  it('when a viewer or an editor signs in, then there is no API keys screen', async () => {
    for (const role of ['viewer', 'editor'] as const) {
      const opened = await fixture.signIn(role, undefined, '/api-keys');
      await waitForScreen(opened.page, /^Not found$/);
      await expect(opened.page.getByRole('link', { name: 'API keys' }).count()).resolves.toBe(0);
      await opened.close();
    }
  });
});

/** The console's number formats, applied to the relay's answer: what the screen must show. */
const pct = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)}%`);
const pValue = (p: number) => (p < 0.001 ? '< 0.001' : p.toPrecision(3));
const signed = (value: number, unit: string) => `${value >= 0 ? '+' : '−'}${Math.abs(value * 100).toFixed(1)}${unit}`;

interface Arm {
  variant: string;
  users: number;
  converters: number;
  conversionRate: number | null;
  interval: { lower: number; upper: number } | null;
  comparison: {
    absoluteDifference: number;
    relativeUplift: number | null;
    pValue: number;
    significant: boolean;
  } | null;
  sequential: {
    alwaysValidPValue: number;
    confidenceSequence: { lower: number; upper: number };
    verdict: string;
  } | null;
}

describe('analytics', () => {
  async function openAnalytics(flagName: string): Promise<{ page: Page; close(): Promise<void> }> {
    const opened = await fixture.signIn('viewer', undefined, `/analytics/${flagName}`);
    await waitForScreen(opened.page, new RegExp(`Analytics: ${flagName}`));
    await opened.page.locator('[data-testid="experiment-results"]').waitFor(seen);
    return opened;
  }

  it("when an A/B test is ready, then every figure shown equals the relay's answer, the interval plot draws each arm, and the verdict is in words", async () => {
    const opened = await openAnalytics(EXPERIMENT_FLAG);
    const { page } = opened;
    const analytics = (await fixture.admin.analytics(EXPERIMENT_FLAG, { days: '7', granularity: 'day' })) as {
      totalEvaluations: number;
      enabledCount: number;
      uniqueUsers: number;
      errorCount: number;
    };
    await expect(page.locator('[data-figure="evaluations"]').textContent()).resolves.toBe(
      analytics.totalEvaluations.toLocaleString('en-US'),
    );
    await expect(page.locator('[data-figure="enabled-share"]').textContent()).resolves.toBe(
      pct(analytics.enabledCount / analytics.totalEvaluations),
    );
    await expect(page.locator('[data-figure="users"]').textContent()).resolves.toBe(
      analytics.uniqueUsers.toLocaleString('en-US'),
    );
    await expect(page.locator('[data-figure="errors"]').textContent()).resolves.toBe(String(analytics.errorCount));

    const report = await fixture.admin.request<{ status: string; arms: Arm[] }>(
      'GET',
      `/api/v1/feature-flags/${EXPERIMENT_FLAG}/experiment?days=7&outcome=conversion&control=control`,
    );
    expect(report.status).toBe('ready');
    for (const arm of report.arms) {
      const cells = await page.locator(`table.arms-table tr[data-variant="${arm.variant}"] td`).allTextContents();
      expect(cells.slice(1, 8)).toEqual([
        arm.users.toLocaleString('en-US'),
        arm.converters.toLocaleString('en-US'),
        pct(arm.conversionRate),
        `${pct(arm.interval!.lower)} to ${pct(arm.interval!.upper)}`,
        arm.comparison ? signed(arm.comparison.absoluteDifference, ' pp') : '—',
        arm.comparison ? signed(arm.comparison.relativeUplift!, '%') : '—',
        arm.comparison ? pValue(arm.comparison.pValue) : '—',
      ]);
      if (arm.comparison)
        expect(cells[8]).toMatch(
          arm.comparison.significant
            ? /^Significant/
            : /^Not significant: the difference from control could well be chance/,
        );
    }
    // One interval (a line with two caps and a dot) per arm.
    await expect(page.locator('figure:has-text("95% intervals") svg circle').count()).resolves.toBe(report.arms.length);
    await expect(page.getByRole('note', { name: 'Sample ratio mismatch' }).count()).resolves.toBe(0);
    await opened.close();
  });

  it('when an A/B test is ready, then the "Safe to read daily" column shows the relay\'s always-valid verdict, p-value and interval per arm', async () => {
    const report = await fixture.admin.request<{ arms: Arm[]; sampleSize: { usersPerVariant: number } | null }>(
      'GET',
      `/api/v1/feature-flags/${EXPERIMENT_FLAG}/experiment?days=7&outcome=conversion&control=control`,
    );
    const compared = report.arms.filter((arm) => arm.sequential !== null);
    expect(compared.length).toBeGreaterThan(0);
    const opened = await openAnalytics(EXPERIMENT_FLAG);
    for (const arm of report.arms) {
      const cell = await opened.page
        .locator(`table.arms-table tr[data-variant="${arm.variant}"] td[data-label="Safe to read daily"]`)
        .textContent();
      const sequential = arm.sequential;
      expect(cell).toBe(
        sequential === null
          ? '—'
          : `${sequential.verdict} (always-valid p ${pValue(sequential.alwaysValidPValue)}; difference ${signed(sequential.confidenceSequence.lower, ' pp')} to ${signed(sequential.confidenceSequence.upper, ' pp')})`,
      );
    }
    if (report.sampleSize) {
      await expect(opened.page.locator('[data-testid="experiment-results"]').textContent()).resolves.toContain(
        `needs ${report.sampleSize.usersPerVariant.toLocaleString('en-US')} users per variant`,
      );
    }
    await opened.close();
  });

  it('when users are not split as the weights say, then the sample-ratio-mismatch warning shows', async () => {
    const report = await fixture.admin.request<{ sampleRatioMismatch: { mismatch: boolean; pValue: number } }>(
      'GET',
      `/api/v1/feature-flags/${SKEWED_EXPERIMENT_FLAG}/experiment?days=7`,
    );
    expect(report.sampleRatioMismatch.mismatch).toBe(true);
    const opened = await openAnalytics(SKEWED_EXPERIMENT_FLAG);
    await expect(opened.page.getByRole('note', { name: 'Sample ratio mismatch' }).textContent()).resolves.toContain(
      `chi-square p ${pValue(report.sampleRatioMismatch.pValue)}`,
    );
    await opened.close();
  });

  it('when an A/B test has too few users, then it says so with how many users are still needed', async () => {
    const report = await fixture.admin.request<{ status: string; minUsersPerVariant: number; arms: Arm[] }>(
      'GET',
      `/api/v1/feature-flags/${YOUNG_EXPERIMENT_FLAG}/experiment?days=7`,
    );
    expect(report.status).toBe('not-enough-data');
    const needed = report.arms.map((arm) => report.minUsersPerVariant - arm.users);
    const opened = await openAnalytics(YOUNG_EXPERIMENT_FLAG);
    const note = await opened.page.getByRole('note', { name: 'Not enough data' }).textContent();
    expect(note).toContain(
      `Still needed: ${needed[0]! + needed[1]!} users (control ${needed[0]}, treatment ${needed[1]})`,
    );
    await expect(opened.page.locator('table.arms-table').textContent()).resolves.not.toMatch(/Significant/);
    await opened.close();
  });
});
