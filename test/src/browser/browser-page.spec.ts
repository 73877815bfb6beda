import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayAdmin } from '../server-provider/relay-admin.js';
import { eventually } from '../server-provider/wait-for.js';
import { REPO_ROOT, startRelay, type StartedRelay } from '../support/start-relay.js';
import { addCheckoutUser, createBrowserFlags } from './browser-flags.js';
import { launchChromium } from './chromium.js';
import { buildAndServeTestPage, type TestPage } from './test-page.js';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
/** Generous: two cores are shared by the whole team. */
const UI_TIMEOUT_MS = 20_000;

let relay: StartedRelay;
let admin: RelayAdmin;
let testPage: TestPage;
let browser: Browser;
let clientKey: string;

beforeAll(async () => {
  testPage = await buildAndServeTestPage();
  relay = await startRelay({ env: { SWITCHYARD_CORS_ALLOWED_ORIGINS: testPage.origin } });
  admin = new RelayAdmin(relay.url, relay.adminKey);
  await createBrowserFlags(admin);
  clientKey = (await admin.createKey('client', 'production')).key;
  browser = await launchChromium();
  await mkdir(ARTIFACTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await relay?.close();
  await testPage?.close();
});

async function openPage(provider: 'switchyard' | 'ofrep', user: string, key = clientKey, status = 'READY', extra: Record<string, string> = {}): Promise<Page> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  const query = new URLSearchParams({ relay: relay.url, key, provider, user, ...extra });
  await page.goto(`${testPage.origin}/?${query}`);
  await page.evaluate(() => ((window as unknown as { loadMarker: string }).loadMarker = 'first-load'));
  await expectText(page, '#status', status);
  expect(problems).toEqual([]);
  return page;
}

async function expectText(page: Page, selector: string, text: string): Promise<void> {
  await page.waitForFunction(
    ([sel, expected]) => document.querySelector(sel!)?.textContent === expected,
    [selector, text],
    { timeout: UI_TIMEOUT_MS },
  );
}

async function loadMarker(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (window as unknown as { loadMarker?: string }).loadMarker);
}

describe.each(['switchyard', 'ofrep'] as const)('a React page on the %s web provider, in Chromium', (provider) => {
  const user = `${provider}-user`;

  it('when the page loads, then it renders the values the relay evaluated for its user', async () => {
    const page = await openPage(provider, user);
    await expectText(page, '#new-checkout', 'false');
    await expectText(page, '#theme', 'light');
    await expectText(page, '#banner-text', 'Hello from Switchyard');
    await expectText(page, '#server-only', 'app default FLAG_NOT_FOUND');
    await page.close();
  });

  it('when a flag changes through REST, then the open page shows the new value without reloading', async () => {
    const page = await openPage(provider, user);
    await expectText(page, '#new-checkout', 'false');
    await addCheckoutUser(admin, user);
    await expectText(page, '#new-checkout', 'true');
    expect(await loadMarker(page)).toBe('first-load');
    await page.close();
  });

  it('when the context changes (a login), then the page swaps to that user\'s values', async () => {
    const page = await openPage(provider, user);
    await expectText(page, '#theme', 'light');
    await page.evaluate(() => window.setFlagContext({ targetingKey: 'alice', plan: 'pro' }));
    await expectText(page, '#theme', 'dark');
    await expectText(page, '#new-checkout', 'true');
    expect(await loadMarker(page)).toBe('first-load');
    await page.screenshot({ path: join(ARTIFACTS, `browser-page-${provider}.png`), fullPage: true });
    await page.close();
  });
});

describe('CORS', () => {
  it('when the page comes from an origin SWITCHYARD_CORS_ALLOWED_ORIGINS does not list, then the browser blocks the relay\'s answers', async () => {
    const page = await browser.newPage();
    // Same files, another origin: localhost is not 127.0.0.1 to the browser.
    const otherOrigin = testPage.origin.replace('127.0.0.1', 'localhost');
    const query = new URLSearchParams({ relay: relay.url, key: clientKey, provider: 'switchyard', user: 'cors-user' });
    await page.goto(`${otherOrigin}/?${query}`);
    await expectText(page, '#status', 'ERROR');
    await expectText(page, '#theme', 'none');
    await page.close();
  });
});

describe('a rejected key', () => {
  it('when the page\'s key is unknown, then the provider is FATAL, the page shows defaults, and it stops asking', async () => {
    const page = await openPage('switchyard', 'someone', 'sy_client_unknown', 'FATAL');
    await expectText(page, '#banner-text', 'default banner');
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.waitForTimeout(1500);
    expect(requests.filter((url) => url.startsWith(relay.url))).toEqual([]);
    await page.close();
  });

  it('when a browser opens the stream with a rejected key, then the relay closes it with 4401', async () => {
    const page = await browser.newPage();
    await page.goto(testPage.origin);
    const url = `${relay.url.replace('http', 'ws')}/api/v1/stream?key=sy_client_unknown`;
    const code = await page.evaluate(
      (target) => new Promise<number>((resolve) => (new WebSocket(target).onclose = (event) => resolve(event.code))),
      url,
    );
    expect(code).toBe(4401);
    await page.close();
  });
});

describe('usage from the Switchyard web provider', () => {
  it('when the page tracks an event and is hidden, then its usage reaches the relay\'s analytics', async () => {
    // An hour-long flush interval: only the page-hide flush can deliver within the test.
    const page = await openPage('switchyard', 'usage-user', clientKey, 'READY', { flushMs: '3600000' });
    const usageAnswers: number[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('/api/v1/usage') && response.request().method() === 'POST') usageAnswers.push(response.status());
    });
    await page.click('#buy');
    // A string, not a function: the test transform would wrap the getter in a helper the page lacks.
    await page.evaluate(
      "Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' }); document.dispatchEvent(new Event('visibilitychange'));",
    );
    await expect.poll(() => usageAnswers.length, { timeout: UI_TIMEOUT_MS }).toBeGreaterThan(0);
    expect(usageAnswers.every((status) => status >= 200 && status < 300)).toBe(true);
    await page.close();
    const analytics = await eventually(
      'the page\'s evaluations and outcome in the flag\'s analytics',
      async () => {
        const figures = (await admin.analytics('new-checkout')) as { totalEvaluations: number; outcomes?: Array<{ outcome: string }> };
        const converted = figures.outcomes?.some((outcome) => outcome.outcome === 'checkout-completed');
        return figures.totalEvaluations > 0 && converted ? figures : undefined;
      },
      UI_TIMEOUT_MS,
      250,
    );
    expect(analytics.totalEvaluations).toBeGreaterThan(0);
  });
});
