#!/usr/bin/env node
// The `switchyard` command. npm links a bin only when its file exists at install time, and
// `npm ci` runs before the build, so the link points here (committed) and this loads the built CLI.
import { existsSync } from 'node:fs';

const builtCli = new URL('../dist/cli/main.js', import.meta.url);

if (!existsSync(builtCli)) {
  process.stderr.write(
    'error: the switchyard CLI is not built yet (relay/dist/cli/main.js is missing): ' +
      'run `npm run build` (or `npm start`) at the repository root, then run the command again\n',
  );
  process.exit(1);
}

const { runProgram } = await import(builtCli.href);
await runProgram(process.argv);
