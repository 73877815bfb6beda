import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from './testing/test-relay.js';

const run = promisify(execFile);
const DOC = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8');

/** Every `<!-- expect NNN -->` example of docs/api.md, in order: they build on each other. */
const EXAMPLES = [...DOC.matchAll(/<!-- expect (\d{3}) -->\n```sh\n([\s\S]*?)```/g)].map((match, index) => ({
  index,
  status: Number(match[1]),
  script: match[2]!.trim(),
  firstLine: match[2]!.trim().split('\n')[0]!,
}));

describe('docs/api.md: every curl example runs against a relay and answers the status the page says', () => {
  let t: TestRelay;
  beforeAll(async () => {
    t = await startTestRelay();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('has examples for every route of the slices this page covers', async () => {
    const document = await t.call('GET', '/openapi.json', { key: null });
    const pageTags = new Set(['Feature flags', 'Evaluation', 'API keys', 'Audit', 'Operations']);
    for (const [path, operations] of Object.entries(document.body.paths as Record<string, Record<string, { tags: string[] }>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!pageTags.has(operation.tags[0]!)) continue;
        const url = new RegExp(`"\\$RELAY${path.replace(/\{\w+\}/g, '[^/?"]+')}[?"]`);
        const shown = EXAMPLES.some((example) => url.test(example.script) && methodOf(example.script) === method.toUpperCase());
        expect(shown, `${method.toUpperCase()} ${path}`).toBe(true);
      }
    }
  });

  it.each(EXAMPLES)('example $index ($firstLine) → $status', async (example) => {
    const script = `set -euo pipefail\n${example.script} -o /dev/null -w '%{http_code}'`;
    const { stdout } = await run('bash', ['-c', script], { env: { ...process.env, RELAY: t.url, KEY: t.adminKey } });
    expect(stdout.trim()).toBe(String(example.status));
  });
});

function methodOf(script: string): string {
  const last = script.split('\ncurl').pop()!;
  return /-X (\w+)/.exec(last)?.[1] ?? 'GET';
}
