// Fails when the relay's folders import each other in a cycle (docs/contributing.md, "Lint and format").
// ESLint's import-x/no-cycle sees file-to-file cycles; this sees folder-to-folder ones, e.g. features/flags
// importing features/audit while features/audit imports features/flags. A "part" is a folder of
// relay/src/features, or another top-level folder of relay/src; specs and test support are left out.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(fileURLToPath(new URL('../../relay/src', import.meta.url)));
const TEST_CODE = /\.spec\.ts$|\.test-helper\.ts$|(^|\/)testing\//;
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^;'"]*?from\s*'(\.[^']+)'/g;

/**
 * TEMPORARY: part cycles in main when this check landed, being broken (issue 15, item 4). Each is "a↔b" with
 * a < b. Remove an entry as soon as its cycle is gone; never add one.
 */
const KNOWN = new Set([
  // Not in the list: the relay's settings are composed in config/ from each feature's settings module,
  // which parse with config/positive-integers.
  'config↔features/ofrep',
  'config↔features/sync',
  'config↔features/usage',
]);

function partOf(file) {
  const [top, second] = relative(SRC, file).split('/');
  if (second === undefined) return top.replace(/\.ts$/, '');
  return top === 'features' ? `features/${second}` : top;
}

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !TEST_CODE.test(relative(SRC, path))) yield path;
  }
}

/** part -> part it imports -> one file import that shows it. */
const edges = new Map();
for (const file of sourceFiles(SRC)) {
  const from = partOf(file);
  for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const to = partOf(resolve(dirname(file), specifier));
    if (to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from).has(to)) edges.get(from).set(to, `${relative(SRC, file)} imports ${specifier}`);
  }
}

const problems = [];
for (const [a, targets] of edges) {
  for (const [b, shownBy] of targets) {
    if (a >= b || !edges.get(b)?.has(a)) continue;
    if (KNOWN.has(`${a}↔${b}`)) continue;
    problems.push(`${a} ↔ ${b}:\n    ${shownBy}\n    ${edges.get(b).get(a)}`);
  }
}
const stale = [...KNOWN].filter((pair) => {
  const [a, b] = pair.split('↔');
  return !(edges.get(a)?.has(b) && edges.get(b)?.has(a));
});
if (problems.length > 0) {
  console.error(
    `relay/src parts that import each other (move what both need into a lower part):\n  ${problems.join('\n  ')}`,
  );
  process.exitCode = 1;
}
if (stale.length > 0) {
  console.error(`no longer cycles, so remove them from KNOWN in tools/lint/slice-cycles.mjs: ${stale.join(', ')}`);
  process.exitCode = 1;
}
