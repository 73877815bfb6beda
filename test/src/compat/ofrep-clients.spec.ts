import { join } from 'node:path';
import { toUserContext } from '@switchyard/core';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature, type Client, type EvaluationDetails, type JsonValue } from '@openfeature/server-sdk';
import type { EvaluateResult } from '@switchyard/protocol';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../browser/chromium.js';
import { buildAndServeTestPage, type TestPage } from '../browser/test-page.js';
import { RelayAdmin } from '../server-provider/relay-admin.js';
import { REPO_ROOT, startRelay, type StartedRelay } from '../support/start-relay.js';
import { COMPAT_CASES, COMPAT_FLAGS, type ClientOutcome, type CompatCase } from './compat-table.js';
import { comparable, expectedOutcome, type OfrepClient } from './expected-outcome.js';
import { buildGoClient, installPythonClient, runClient, type GoClient } from './install-clients.js';

/** Installing from PyPI and the Go module proxy on a fresh machine takes a while; later runs reuse it. */
const INSTALL_TIMEOUT_MS = 600_000;

let relay: StartedRelay;
let serverKey: string;
let clientKey: string;
const restAnswers = new Map<string, EvaluateResult>();

beforeAll(async () => {
  relay = await startRelay();
  const admin = new RelayAdmin(relay.url, relay.adminKey);
  for (const flag of COMPAT_FLAGS) await admin.createFlag(flag);
  serverKey = (await admin.createKey('server', 'production')).key;
  clientKey = (await admin.createKey('client', 'production')).key;
  for (const c of COMPAT_CASES)
    restAnswers.set(c.id, await admin.evaluate(c.flag, toUserContext(c.context), 'production'));
}, 120_000);

afterAll(async () => {
  await OpenFeature.close();
  await relay?.close();
});

/** Each client's outcomes next to what it must report, keyed by case, so a failure names the cases that differ. */
function expectAgreement(client: OfrepClient, outcomes: ClientOutcome[]): void {
  const actual = Object.fromEntries(outcomes.map(({ id, ...outcome }) => [id, comparable(outcome)]));
  const expected = Object.fromEntries(
    COMPAT_CASES.map((c) => [c.id, comparable(expectedOutcome(client, c, restAnswers.get(c.id)!))]),
  );
  expect(actual).toEqual(expected);
}

function table(key: string) {
  return { baseUrl: relay.url, key, cases: COMPAT_CASES };
}

describe("official OpenFeature OFREP providers agree with the relay's REST answers over the whole table", () => {
  it('the REST answers cover every shape of the table', () => {
    const reasons = new Set([...restAnswers.values()].map((answer) => answer.errorCode ?? answer.reason));
    expect([...reasons].sort()).toEqual([
      'DEFAULT',
      'DISABLED',
      'FLAG_NOT_FOUND',
      'SPLIT',
      'STATIC',
      'TARGETING_KEY_MISSING',
      'TARGETING_MATCH',
    ]);
    expect(restAnswers.get('boolean without variants, served (targeting match)')).toMatchObject({
      value: true,
      variant: 'on',
    });
    expect(restAnswers.get('disabled string without an off variant')).toMatchObject({
      value: null,
      variant: 'off',
      reason: 'DISABLED',
    });
  });

  it('Node: @openfeature/ofrep-provider with @openfeature/server-sdk', async () => {
    await OpenFeature.setProviderAndWait(
      'compat-node',
      new OFREPProvider({ baseUrl: relay.url, headers: [['Authorization', `Bearer ${serverKey}`]] }),
    );
    const client = OpenFeature.getClient('compat-node');
    const outcomes: ClientOutcome[] = [];
    for (const c of COMPAT_CASES) {
      const details = await evaluateOnServer(client, c);
      outcomes.push({
        id: c.id,
        value: details.value,
        variant: details.variant,
        reason: details.reason ?? '',
        errorCode: details.errorCode,
      });
    }
    expectAgreement('node', outcomes);
  });

  it(
    'browser: @openfeature/ofrep-web-provider with @openfeature/web-sdk in Chromium',
    async () => {
      let page: TestPage | undefined;
      let browser: Browser | undefined;
      try {
        page = await buildAndServeTestPage(join(REPO_ROOT, 'test/compat/browser-page'));
        browser = await launchChromium();
        const tab = await browser.newPage();
        await tab.goto(page.origin);
        await tab.waitForFunction(() => document.querySelector('#status')?.textContent === 'ready');
        const outcomes = await tab.evaluate(
          (input) =>
            (window as unknown as { evaluateTable(t: typeof input): Promise<ClientOutcome[]> }).evaluateTable(input),
          table(clientKey),
        );
        expectAgreement('browser', outcomes);
      } finally {
        await browser?.close();
        await page?.close();
      }
    },
    INSTALL_TIMEOUT_MS,
  );

  it(
    'Python: openfeature-provider-ofrep with openfeature-sdk (PyPI)',
    async () => {
      const program = await installPythonClient();
      expectAgreement('python', await runClient(program, table(serverKey)));
    },
    INSTALL_TIMEOUT_MS,
  );

  it.each(['go v0.1.6', 'go v0.1.7'] satisfies GoClient[])(
    'Go: github.com/open-feature/go-sdk-contrib/providers/ofrep %s',
    async (client) => {
      const program = await buildGoClient(client);
      expectAgreement(client, await runClient(program, table(serverKey)));
    },
    INSTALL_TIMEOUT_MS,
  );
});

function evaluateOnServer(client: Client, c: CompatCase): Promise<EvaluationDetails<JsonValue>> {
  switch (c.type) {
    case 'boolean':
      return client.getBooleanDetails(c.flag, c.default as boolean, c.context);
    case 'string':
      return client.getStringDetails(c.flag, c.default as string, c.context);
    case 'number':
      return client.getNumberDetails(c.flag, c.default as number, c.context);
    case 'object':
      return client.getObjectDetails(c.flag, c.default, c.context);
  }
}
