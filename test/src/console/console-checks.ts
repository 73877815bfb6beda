import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { ConsolePage } from './console-browser.js';

/** No page error, console error or CSP violation happened on the page. */
export function expectNoProblems(opened: ConsolePage): void {
  expect(opened.problems).toEqual([]);
}

/** The page is no wider than the window: nothing scrolls sideways. */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    window: document.documentElement.clientWidth,
    page: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
  }));
  if (Math.max(widths.page, widths.body) > widths.window)
    throw new Error(`the page scrolls sideways: ${JSON.stringify(widths)}`);
}
