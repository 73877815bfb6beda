// Measures what @switchyard/openfeature-web adds to a page: the built provider with @switchyard/core
// and @switchyard/protocol bundled in, minified, gzipped. The OpenFeature SDK is left out
// (external): an app pays for it whichever provider it uses. Run `npm run size` after building;
// `src/bundle-size.spec.ts` holds the goal in `npm test`.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const GOAL_BYTES = 8 * 1024;
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/** The built provider's bundle: minified and gzipped bytes, and the minified bytes of each package in it. */
export async function measureSize() {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external: ['@openfeature/*'],
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const code = result.outputFiles[0].contents;
  const inputs = Object.entries(result.metafile.outputs)[0][1].inputs;
  const byPackage = {};
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const name = /(^|\/)core\/dist\//.test(path)
      ? '@switchyard/core'
      : /(^|\/)protocol\/dist\//.test(path)
        ? '@switchyard/protocol'
        : '@switchyard/openfeature-web';
    byPackage[name] = (byPackage[name] ?? 0) + bytesInOutput;
  }
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length, byPackage };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { minified, gzipped, byPackage } = await measureSize();
  console.log(`minified: ${minified} B, gzipped: ${gzipped} B (goal < ${GOAL_BYTES} B)`);
  for (const [name, bytes] of Object.entries(byPackage)) console.log(`  ${name}: ${bytes} B minified`);
  if (gzipped >= GOAL_BYTES) {
    console.error(`over the ${GOAL_BYTES} B goal`);
    process.exitCode = 1;
  }
}
