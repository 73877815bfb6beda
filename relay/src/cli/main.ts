#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { registerAnalyticsCommand } from './commands/analytics.js';
import { registerCompletionCommand } from './commands/completion.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerCreateCommand } from './commands/create.js';
import { registerDeleteCommand } from './commands/delete.js';
import { registerDisableCommand, registerEnableCommand } from './commands/enable.js';
import { registerEvaluateCommand } from './commands/evaluate.js';
import { registerExportCommand } from './commands/export.js';
import { registerGetCommand } from './commands/get.js';
import { registerHistoryCommand, registerRollbackCommand } from './commands/history.js';
import { registerImportCommand } from './commands/import.js';
import { registerKeysCommand } from './commands/keys.js';
import { registerListCommand } from './commands/list.js';
import { registerServeCommand } from './commands/serve.js';
import { registerStaleCommand } from './commands/stale.js';
import { registerUpdateCommand } from './commands/update.js';

/** The `switchyard` program: one `register…` call per command (each in its own file under commands/). */
export function createProgram(): Command {
  const program = new Command('switchyard')
    .description('Switchyard feature flags: run the relay, manage flags and keys')
    .version('0.1.0');
  registerServeCommand(program);
  registerCreateCommand(program);
  registerListCommand(program);
  registerGetCommand(program);
  registerUpdateCommand(program);
  registerEnableCommand(program);
  registerDisableCommand(program);
  registerDeleteCommand(program);
  registerEvaluateCommand(program);
  registerHistoryCommand(program);
  registerRollbackCommand(program);
  registerAnalyticsCommand(program);
  registerStaleCommand(program);
  registerAuditCommand(program);
  registerKeysCommand(program);
  registerExportCommand(program);
  registerImportCommand(program);
  registerCompletionCommand(program);
  return program;
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** `switchyard audit | head`: the reader left, so there is nothing more to print; not a failure. */
function stopQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
}

/** Runs the command line `argv` (as `process.argv`): what `bin/switchyard.js` and `node dist/cli/main.js` do. */
export async function runProgram(argv: string[]): Promise<void> {
  stopQuietlyWhenStdoutCloses();
  await createProgram().parseAsync(argv);
}

if (isEntryPoint()) await runProgram(process.argv);
