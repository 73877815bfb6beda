/**
 * Writes screenshots of the console's main screens to docs/console/*.png (embedded in docs/console.md),
 * from a real relay with the sample data, in Debian's Chromium:
 *
 *   npm run screenshots
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/start-relay.js';
import { ConsoleFixture, DESKTOP, goTo, PHONE, waitForScreen, type ConsoleRole } from './console-browser.js';
import { EXPERIMENT_FLAG } from './sample-data.js';

const OUTPUT = join(REPO_ROOT, 'docs/console');

interface Shot {
  file: string;
  path: string;
  heading: RegExp;
  role?: ConsoleRole;
  viewport?: { width: number; height: number };
  /** What to do on the screen before the picture (e.g. unfold a diff). */
  prepare?: (page: Page) => Promise<void>;
}

const SHOTS: Shot[] = [
  { file: 'flags.png', path: '/', heading: /^Flags$/ },
  { file: 'flag-detail.png', path: '/flags/new-checkout', heading: /new-checkout/ },
  { file: 'history.png', path: '/flags/new-checkout/history', heading: /History/ },
  {
    file: 'audit.png',
    path: '/audit',
    heading: /^Audit log$/,
    prepare: (page) => page.getByText('What changed').first().click(),
  },
  { file: 'analytics.png', path: `/analytics/${EXPERIMENT_FLAG}`, heading: /Analytics/ },
  { file: 'stale.png', path: '/stale', heading: /^Stale flags$/ },
  { file: 'api-keys.png', path: '/api-keys', heading: /^API keys$/ },
  { file: 'flags-viewer-phone.png', path: '/', heading: /^Flags$/, role: 'viewer', viewport: PHONE },
  {
    file: 'analytics-viewer-phone.png',
    path: `/analytics/${EXPERIMENT_FLAG}`,
    heading: /Analytics/,
    role: 'viewer',
    viewport: PHONE,
  },
];

const fixture = await ConsoleFixture.start();
try {
  await mkdir(OUTPUT, { recursive: true });
  for (const shot of SHOTS) {
    const opened = await fixture.signIn(shot.role ?? 'admin', shot.viewport ?? DESKTOP);
    await goTo(opened.page, shot.path);
    await waitForScreen(opened.page, shot.heading);
    await shot.prepare?.(opened.page);
    await opened.page.screenshot({ path: join(OUTPUT, shot.file), fullPage: true });
    if (opened.problems.length > 0) console.warn(`${shot.file}: ${opened.problems.join('; ')}`);
    await opened.close();
    console.info(`docs/console/${shot.file}`);
  }
} finally {
  await fixture.close();
}
