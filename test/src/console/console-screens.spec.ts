import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './axe-scan.js';
import { ConsoleFixture, DESKTOP, goTo, PHONE, waitForScreen, type ConsoleRole } from './console-browser.js';
import { expectNoHorizontalScroll, expectNoProblems } from './console-checks.js';

/** Every main screen by its hash path and heading; `admin` screens only an admin may open. */
const SCREENS: Array<{ path: string; heading: RegExp; adminOnly?: boolean }> = [
  { path: '/', heading: /^Flags$/ },
  { path: '/flags/new-checkout', heading: /new-checkout/ },
  { path: '/flags/new-checkout/history', heading: /History/ },
  { path: '/audit', heading: /^Audit log$/ },
  { path: '/analytics/checkout-button-test', heading: /Analytics/ },
  { path: '/stale', heading: /^Stale flags$/ },
  { path: '/api-keys', heading: /^API keys$/, adminOnly: true },
];

let fixture: ConsoleFixture;
beforeAll(async () => {
  fixture = await ConsoleFixture.start();
});
afterAll(async () => {
  await fixture?.close();
});

/** The budget for the first load of the flags list: the console's files, as sent (gzipped). */
const FIRST_LOAD_BUDGET_BYTES = 250 * 1024;

describe('the console in Chromium: first load', () => {
  it('when an admin signs in and the flags list shows, then the files loaded weigh less than 250 KB gzipped', async () => {
    const opened = await fixture.signIn('admin', DESKTOP);
    await waitForScreen(opened.page, /^Flags$/);
    const total = opened.files.reduce((sum, file) => sum + file.bytes, 0);
    console.info(
      `first load of the flags list: ${(total / 1024).toFixed(1)} KB gzipped in ${opened.files.length} files`,
    );
    expect(opened.files.map((file) => file.path)).toContain('/');
    expect(opened.files.every((file) => file.bytes > 0)).toBe(true);
    expect(total).toBeLessThan(FIRST_LOAD_BUDGET_BYTES);
    await opened.close();
  });
});

describe('the checks themselves', () => {
  it('when the page has an unlabelled image or something wider than the window, then axe and the width check fail', async () => {
    const opened = await fixture.open(PHONE);
    await opened.page.evaluate(() => {
      const image = document.createElement('img');
      image.src = '/favicon.svg';
      document.body.append(image);
      const wide = document.createElement('div');
      wide.style.width = '2000px';
      wide.style.height = '1px';
      document.body.append(wide);
    });
    await expect(expectAccessible(opened.page, 'a broken page')).rejects.toThrow(/image-alt/);
    await expect(expectNoHorizontalScroll(opened.page)).rejects.toThrow(/scrolls sideways/);
    await opened.close();
  });
});

describe('the console in Chromium: accessibility and layout of every main screen', () => {
  it('when the sign-in form shows, then axe finds nothing serious and nothing scrolls sideways at 390 px', async () => {
    const opened = await fixture.open(PHONE);
    await expectAccessible(opened.page, 'the sign-in form');
    await expectNoHorizontalScroll(opened.page);
    expectNoProblems(opened);
    await opened.close();
  });

  describe.each([
    ['admin', DESKTOP],
    ['admin', PHONE],
    ['viewer', PHONE],
  ] as Array<[ConsoleRole, typeof DESKTOP | typeof PHONE]>)('signed in as %s at %o', (role, viewport) => {
    it('when each main screen is opened, then axe finds no serious or critical violation and the page does not scroll sideways', async () => {
      const opened = await fixture.signIn(role, viewport);
      for (const screen of SCREENS.filter((entry) => role === 'admin' || !entry.adminOnly)) {
        await goTo(opened.page, screen.path);
        await waitForScreen(opened.page, screen.heading);
        await expectAccessible(opened.page, `${screen.path} as ${role} at ${viewport.width} px`);
        await expectNoHorizontalScroll(opened.page);
      }
      expectNoProblems(opened);
      await opened.close();
    });
  });
});
