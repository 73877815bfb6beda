import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RelayAdmin } from '../server-provider/relay-admin.js';
import { launchChromium } from '../browser/chromium.js';
import type { StartedRelay } from '../support/start-relay.js';
import { startSampleRelay } from './sample-data.js';

export type ConsoleRole = 'admin' | 'editor' | 'viewer';

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;
/** Generous: two cores are shared by the whole team. */
export const UI_TIMEOUT_MS = 20_000;

/** A page of the console and what went wrong on it (page errors, console errors, CSP violations). */
export interface ConsolePage {
  page: Page;
  context: BrowserContext;
  problems: string[];
  /** The console's own files the page fetched (not API calls), with the bytes sent (gzipped when compressible). */
  files: Array<{ path: string; bytes: number }>;
  close(): Promise<void>;
}

/**
 * One real relay (serving the built console) with a key of each console role, and one Chromium,
 * shared by the tests of a file: start it in `beforeAll`, `close()` it in `afterAll`.
 */
export class ConsoleFixture {
  private constructor(
    readonly relay: StartedRelay,
    readonly admin: RelayAdmin,
    readonly keys: Readonly<Record<ConsoleRole, string>>,
    readonly browser: Browser,
  ) {}

  /** A relay with the sample data (sample-data.ts); `env` adds relay settings. */
  static async start(env: Record<string, string> = {}): Promise<ConsoleFixture> {
    const { relay, admin } = await startSampleRelay(env);
    const keyOf = async (role: 'editor' | 'viewer') =>
      (await admin.request<{ key: string }>('POST', '/api/v1/api-keys', { name: `console ${role}`, role })).key;
    const keys = { admin: relay.adminKey, editor: await keyOf('editor'), viewer: await keyOf('viewer') };
    return new ConsoleFixture(relay, admin, keys, await launchChromium());
  }

  /** A fresh browser context (its own sessionStorage) at the console's sign-in form. */
  async open(viewport: { width: number; height: number } = DESKTOP): Promise<ConsolePage> {
    const context = await this.browser.newContext({ viewport });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    const files: ConsolePage['files'] = [];
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.origin !== this.relay.url || url.pathname.startsWith('/api/')) return;
      files.push({ path: url.pathname, bytes: Number(response.headers()['content-length'] ?? 0) });
    });
    await page.goto(`${this.relay.url}/`);
    await page.getByLabel('API key').waitFor({ timeout: UI_TIMEOUT_MS });
    return { page, context, problems, files, close: () => context.close() };
  }

  /** Opens the console and signs in with the role's key through the "API key" field, keyboard only. */
  async signIn(
    role: ConsoleRole,
    viewport: { width: number; height: number } = DESKTOP,
    hash = '',
  ): Promise<ConsolePage> {
    const opened = await this.open(viewport);
    const { page } = opened;
    await page.getByLabel('API key').fill(this.keys[role]);
    await page.getByLabel('API key').press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: UI_TIMEOUT_MS });
    if (hash !== '') await goTo(page, hash);
    return opened;
  }

  async close(): Promise<void> {
    await this.browser?.close();
    await this.relay?.close();
  }
}

/** Moves the console to a screen by its hash path (`/audit`), as a link would. */
export async function goTo(page: Page, hashPath: string): Promise<void> {
  await page.evaluate((path) => {
    window.location.hash = path;
  }, hashPath);
}

/** Waits until the screen's heading (each screen has one `h1`) shows `name` and nothing on it is still loading. */
export async function waitForScreen(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor({ timeout: UI_TIMEOUT_MS });
  await page.waitForFunction(() => !document.body.innerText.includes('Loading…'), undefined, {
    timeout: UI_TIMEOUT_MS,
  });
}
