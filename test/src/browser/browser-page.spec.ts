import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayAdmin } from '../server-provider/relay-admin.js';
import { eventually } from '../server-provider/wait-for.js';
import { uniformDraw, type ExperimentAnswer } from '../support/experiment-support.js';
import { twoProportionPValue } from '../support/independent-statistics.js';
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

async function openPage(
  provider: 'switchyard' | 'ofrep',
  user: string,
  key = clientKey,
  status = 'READY',
  extra: Record<string, string> = {},
): Promise<Page> {
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

  it("when the context changes (a login), then the page swaps to that user's values", async () => {
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
  it("when the page comes from an origin SWITCHYARD_CORS_ALLOWED_ORIGINS does not list, then the browser blocks the relay's answers", async () => {
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
  it("when the page's key is unknown, then the provider is FATAL, the page shows defaults, and it stops asking", async () => {
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
  it("when the page tracks an event and is hidden, then its usage reaches the relay's analytics", async () => {
    // An hour-long flush interval: only the page-hide flush can deliver within the test.
    const page = await openPage('switchyard', 'usage-user', clientKey, 'READY', { flushMs: '3600000' });
    const usageAnswers: number[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('/api/v1/usage') && response.request().method() === 'POST')
        usageAnswers.push(response.status());
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
      "the page's evaluations and outcome in the flag's analytics",
      async () => {
        const figures = (await admin.analytics('new-checkout')) as {
          totalEvaluations: number;
          outcomes?: Array<{ outcome: string }>;
        };
        const converted = figures.outcomes?.some((outcome) => outcome.outcome === 'checkout-completed');
        return figures.totalEvaluations > 0 && converted ? figures : undefined;
      },
      UI_TIMEOUT_MS,
      250,
    );
    expect(analytics.totalEvaluations).toBeGreaterThan(0);
  });
});

describe('an A/B test through the Switchyard web provider', () => {
  /** 400 visitors in four rounds, each delivered and counted before the next: several flush intervals. */
  const VISITORS = 400;
  const ROUNDS = 4;
  const CHANCES = { control: 0.2, treatment: 0.35 };

  it('when visitors are served a variant and some convert with track() naming no flag, then users, converters, rates and the p-value are exactly what the page did', async () => {
    await admin.createFlag({
      name: 'pricing-page-web',
      description: 'browser experiment',
      tags: [],
      type: 'string',
      variants: [
        { name: 'control', value: 'monthly', weight: 50 },
        { name: 'treatment', value: 'annual', weight: 50 },
      ],
      environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
    });
    // Ids kept exactly up to 1,000 per count (the page's ?maxUserIds), below the relay's exact limit: every count is exact.
    const page = await openPage('switchyard', 'first-visitor', clientKey, 'READY', {
      flushMs: '200',
      maxUserIds: '1000',
    });
    const users: Record<string, Set<string>> = { control: new Set(), treatment: new Set() };
    const converters: Record<string, Set<string>> = { control: new Set(), treatment: new Set() };
    const perRound = VISITORS / ROUNDS;
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = round * perRound; i < (round + 1) * perRound; i++) {
        const user = `visitor-${i}`;
        const { variant, converted } = await page.evaluate(
          ([id, chances, draw]) => window.experimentVisit(id, 'pricing-page-web', chances, draw),
          [user, CHANCES, uniformDraw(i)] as const,
        );
        users[variant!]!.add(user);
        if (converted) converters[variant!]!.add(user);
      }
      const served = (round + 1) * perRound;
      await eventually(
        `round ${round + 1} at the relay`,
        async () => {
          const figures = (await admin.analytics('pricing-page-web', { days: '1' })) as { totalEvaluations: number };
          return figures.totalEvaluations === served ? true : undefined;
        },
        UI_TIMEOUT_MS,
        100,
      );
    }
    const convertersTotal = converters.control!.size + converters.treatment!.size;
    const answer = await eventually(
      'every conversion at the relay',
      async () => {
        const report = await admin.request<ExperimentAnswer>(
          'GET',
          '/api/v1/feature-flags/pricing-page-web/experiment?environment=production',
        );
        return report.arms.reduce((sum, arm) => sum + arm.converters, 0) === convertersTotal ? report : undefined;
      },
      UI_TIMEOUT_MS,
      200,
    );
    await page.close();

    expect(answer.status).toBe('ready');
    for (const arm of answer.arms) {
      expect(arm).toMatchObject({
        users: users[arm.variant]!.size,
        converters: converters[arm.variant]!.size,
        countsExact: true,
      });
      expect(arm.conversionRate).toBe(converters[arm.variant]!.size / users[arm.variant]!.size);
    }
    const [control, treatment] = answer.arms;
    const independent = twoProportionPValue(
      converters.treatment!.size,
      users.treatment!.size,
      converters.control!.size,
      users.control!.size,
    );
    expect(Math.abs(treatment!.comparison!.pValue - independent) / independent).toBeLessThan(1e-6);
    expect(control!.comparison).toBeNull();
    expect(treatment!.sequential?.verdict).toEqual(expect.any(String));
  }, 120_000);
});
