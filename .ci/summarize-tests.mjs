// Reads the output of `npm test` (turbo running vitest in each workspace) and prints one closing
// line, "tests: N passed, N failed, N skipped", summed over every workspace's "Tests" line.
import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';

const text = stripVTControlCharacters(readFileSync(process.argv[2], 'utf8'));
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const line of text.split('\n')) {
  const summary = /\bTests\s+(.*)\(\d+\)\s*$/.exec(line);
  if (!summary) continue;
  for (const kind of Object.keys(totals)) {
    const count = new RegExp(`(\\d+) ${kind}`).exec(summary[1]);
    if (count) totals[kind] += Number(count[1]);
  }
}
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
