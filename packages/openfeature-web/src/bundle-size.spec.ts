import { describe, expect, it } from 'vitest';
import { GOAL_BYTES, measureSize } from '../scripts/measure-size.mjs';

describe('what the web provider adds to a page', () => {
  it('when the built provider is bundled with our packages, minified and gzipped, then it stays under the goal', async () => {
    const { gzipped } = await measureSize();
    expect(gzipped).toBeGreaterThan(0);
    expect(gzipped, `gzipped bundle of dist/index.js (npm run size shows what is in it)`).toBeLessThan(GOAL_BYTES);
  });
});
