import type { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { clientCommand, finishClientCommand, runWith, type CliContext, type ConnectionOptions } from '../cli-context.js';
import { FlagNotFoundError, UsageError } from '../cli-errors.js';
import { affectedLine } from '../flag-view.js';
import { withoutStoreFields, type RelayFlag } from '../switchyard-api.js';

interface DeleteOptions extends ConnectionOptions {
  name: string;
  yes?: boolean;
}

export function registerDeleteCommand(program: Command): void {
  const command = clientCommand(program, 'delete', { env: "remove only this environment's configuration (default: the whole flag)" })
    .description("delete a flag; with --env, remove only that environment's configuration")
    .requiredOption('--name <name>', 'flag name')
    .option('-y, --yes', 'do not ask for confirmation (required when not on a terminal)');
  finishClientCommand(command, [
    'switchyard delete --name my-feature',
    'switchyard delete --name my-feature --yes',
    'switchyard delete --name my-feature --env staging --yes   # keeps the flag elsewhere',
  ]);
  command.action(
    runWith<DeleteOptions>(async (context, options) => {
      const { api, out, env } = context;
      const flag = await api.getFlag(options.name);
      if (env !== undefined && !Object.hasOwn(flag.environments ?? {}, env)) throw new FlagNotFoundError(options.name, env);
      const what = env ? `the "${env}" configuration of flag "${options.name}"` : `flag "${options.name}"`;
      await confirm(`Delete ${what}?`, options.yes);
      const affected = env ? await removeEnvironment(context, flag, env) : await api.deleteFlag(options.name, flag.version);
      if (out.jsonMode) return out.json({ deleted: options.name, environment: env ?? null, affectedEnvironments: affected });
      out.line(`Deleted ${what}.`);
      out.line(affectedLine(out, affected));
    }),
  );
}

async function removeEnvironment({ api }: CliContext, flag: RelayFlag, env: string): Promise<string[]> {
  const environments = { ...flag.environments };
  delete environments[env];
  const replaced = await api.replaceFlag(flag.name, { ...(withoutStoreFields(flag) as object), environments }, flag.version);
  return replaced.affectedEnvironments ?? [];
}

async function confirm(question: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY) throw new UsageError('refusing to delete without confirmation: pass --yes when not on a terminal');
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await prompt.question(`${question} [y/N] `);
  prompt.close();
  if (!/^y(es)?$/i.test(answer.trim())) throw new UsageError('not deleted: the answer was not "yes"');
}
