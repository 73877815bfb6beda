import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from './testing/test-relay.js';

const run = promisify(execFile);

/** Pages whose `<!-- expect NNN -->` curl examples run here, each page against a fresh relay. */
const PAGES = ['api.md', 'troubleshooting.md'] as const;

/** Every `<!-- expect NNN -->` example of a page, in order (they build on each other); list items may indent them. */
function examplesOf(page: string) {
  const text = readFileSync(new URL(`../../../docs/${page}`, import.meta.url), 'utf8');
  return [...text.matchAll(/^([ \t]*)<!-- expect (\d{3}) -->\n[ \t]*```sh\n([\s\S]*?)^[ \t]*```/gm)].map(
    (match, index) => {
      const script = match[3]!
        .split('\n')
        .map((line) => line.slice(match[1]!.length))
        .join('\n')
        .trim();
      return { index, status: Number(match[2]), script, firstLine: script.split('\n')[0]! };
    },
  );
}

const EXAMPLES = examplesOf('api.md');

describe('docs/api.md covers every route of its slices', () => {
  let t: TestRelay;
  beforeAll(async () => {
    t = await startTestRelay();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('gives every operation a short summary that reads as an action (403 details say "a <role> key may not <summary>")', async () => {
    const document = await t.call('GET', '/openapi.json', { key: null });
    const operations = Object.values(
      document.body.paths as Record<string, Record<string, { summary: string }>>,
    ).flatMap((ops) => Object.values(ops));
    for (const { summary } of operations)
      expect(summary).toMatch(
        /^(Change|Check|Create|Delete|Evaluate|Get|List|Read|Replace|Revoke|Roll|Send) [^:]{1,60}$/,
      );
  });

  it('has examples for every route of the slices this page covers', async () => {
    const document = await t.call('GET', '/openapi.json', { key: null });
    const pageTags = new Set(['Feature flags', 'Evaluation', 'API keys', 'Audit', 'Operations']);
    for (const [path, operations] of Object.entries(
      document.body.paths as Record<string, Record<string, { tags: string[] }>>,
    )) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!pageTags.has(operation.tags[0]!)) continue;
        const url = new RegExp(`"\\$RELAY${path.replace(/\{\w+\}/g, '[^/?"]+')}[?"]`);
        const shown = EXAMPLES.some(
          (example) => url.test(example.script) && methodOf(example.script) === method.toUpperCase(),
        );
        expect(shown, `${method.toUpperCase()} ${path}`).toBe(true);
      }
    }
  });
});

describe.each(PAGES)(
  'docs/%s: every curl example runs against a relay and answers the status the page says',
  (page) => {
    let t: TestRelay;
    beforeAll(async () => {
      t = await startTestRelay();
    });
    afterAll(async () => {
      await t.stop();
    });

    it('has examples', () => {
      expect(examplesOf(page).length).toBeGreaterThan(0);
    });

    it.each(examplesOf(page))('example $index ($firstLine) → $status', async (example) => {
      const script = `set -euo pipefail\n${example.script} -o /dev/null -w '%{http_code}'`;
      const { stdout } = await run('bash', ['-c', script], { env: { ...process.env, RELAY: t.url, KEY: t.adminKey } });
      expect(stdout.trim()).toBe(String(example.status));
    });
  },
);

function methodOf(script: string): string {
  const last = script.split('\ncurl').pop()!;
  return /-X (\w+)/.exec(last)?.[1] ?? 'GET';
}
