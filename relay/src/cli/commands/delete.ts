import type { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import {
  clientCommand,
  finishClientCommand,
  runWith,
  type CliContext,
  type ConnectionOptions,
} from '../cli-context.js';
import { FlagNotFoundError, UsageError } from '../cli-errors.js';
import { affectedLine } from '../flag-view.js';
import { parsePositiveInt } from '../flag-input.js';
import { reasonsFlagIsInUse } from '../flag-in-use.js';
import { withoutStoreFields, type RelayFlag } from '../switchyard-api.js';

interface DeleteOptions extends ConnectionOptions {
  name: string;
  yes?: boolean;
  days: number;
}

/** How many days of evaluations make a flag count as in use, when --days is not given. */
const DEFAULT_IN_USE_DAYS = 7;

export function registerDeleteCommand(program: Command): void {
  const command = clientCommand(program, 'delete', {
    env: "remove only this environment's configuration (default: the whole flag)",
  })
    .description(
      "delete a flag (warning first when it is still partly rolled out or was evaluated lately); with --env, remove only that environment's configuration",
    )
    .requiredOption('--name <name>', 'flag name')
    .option('-y, --yes', 'do not ask for confirmation (required when not on a terminal)')
    .option(
      '--days <n>',
      'evaluations in the last n days count as in use, to warn about',
      parsePositiveInt,
      DEFAULT_IN_USE_DAYS,
    );
  finishClientCommand(command, [
    'switchyard delete --name my-feature',
    'switchyard delete --name my-feature --yes',
    'switchyard delete --name my-feature --env staging --yes   # keeps the flag elsewhere',
  ]);
  command.action(
    runWith<DeleteOptions>(async (context, options) => {
      const { api, out, env } = context;
      const flag = await api.getFlag(options.name);
      if (env !== undefined && !Object.hasOwn(flag.environments ?? {}, env))
        throw new FlagNotFoundError(options.name, env);
      const what = env ? `the "${env}" configuration of flag "${options.name}"` : `flag "${options.name}"`;
      if (!options.yes) await confirm(what, await reasonsFlagIsInUse(api, flag, options.days, env));
      const affected = env
        ? await removeEnvironment(context, flag, env)
        : await api.deleteFlag(options.name, flag.version);
      if (out.jsonMode)
        return out.json({ deleted: options.name, environment: env ?? null, affectedEnvironments: affected });
      out.line(`Deleted ${what}.`);
      out.line(affectedLine(out, affected));
    }),
  );
}

async function removeEnvironment({ api }: CliContext, flag: RelayFlag, env: string): Promise<string[]> {
  const environments = { ...flag.environments };
  delete environments[env];
  const replaced = await api.replaceFlag(
    flag.name,
    { ...(withoutStoreFields(flag) as object), environments },
    flag.version,
  );
  return replaced.affectedEnvironments ?? [];
}

/**
 * On a terminal: the reasons the flag is still in use as warnings, then a yes/no question. Elsewhere
 * nobody can answer, so the command refuses (exit 2), naming the reasons, unless --yes was given.
 */
async function confirm(what: string, inUse: string[]): Promise<void> {
  if (!process.stdin.isTTY) {
    if (inUse.length === 0)
      throw new UsageError('refusing to delete without confirmation: pass --yes when not on a terminal');
    throw new UsageError(
      `refusing to delete ${what} without confirmation: ${inUse.join('; ')}: pass --yes to delete it anyway`,
    );
  }
  for (const reason of inUse) process.stderr.write(`warning: ${reason}\n`);
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await prompt.question(`Delete ${what}${inUse.length > 0 ? ' anyway' : ''}? [y/N] `);
  prompt.close();
  if (!/^y(es)?$/i.test(answer.trim())) throw new UsageError('not deleted: the answer was not "yes"');
}
