import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateFlag } from './validate-flag.js';

const file = fileURLToPath(new URL('../../../docs/concepts.md', import.meta.url));
const blocks = [...readFileSync(file, 'utf8').matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
/** Flags: the examples with a name or environments (others are fragments: a rule, a context, a problem). */
const flags = blocks
  .map((text) => JSON.parse(text) as Record<string, unknown>)
  .filter((json) => typeof json['name'] === 'string' || 'environments' in json)
  .map((json, i) => ({ name: `example-${i}`, ...json }));

describe('docs/concepts.md', () => {
  it('has flag examples', () => {
    expect(flags.length).toBeGreaterThanOrEqual(4);
  });

  it.each(flags.map((flag) => [flag['name'], flag] as const))('the example flag %s validates', (_, flag) => {
    const validation = validateFlag(flag);
    expect(validation.ok ? [] : validation.problems).toEqual([]);
  });

  it('the seed-shaped example means the canonical example printed after it', () => {
    const seed = flags.find((f) => f['name'] === 'beta-feature' && Array.isArray(f['environments']));
    const canonical = flags.find((f) => f['name'] === 'beta-feature' && !Array.isArray(f['environments']));
    const validation = validateFlag(seed);
    expect(validation.ok && validation.flag).toEqual(canonical);
  });
});
