import type { Command } from 'commander';
import { clientCommand, examples, runWith, type ConnectionOptions } from '../cli-context.js';
import { UsageError } from '../cli-errors.js';
import { readDocument } from '../document-file.js';
import { addFlagSettingOptions, flagSettingsFrom, parsePositiveInt, type FlagSettingOptions } from '../flag-input.js';
import { printFlag, whereText } from '../flag-view.js';
import { isObject } from '../relay-client.js';

interface UpdateOptions extends ConnectionOptions, FlagSettingOptions {
  name: string;
  file?: string;
  ifVersion?: number;
}

export function registerUpdateCommand(program: Command): void {
  const command = clientCommand(program, 'update', { env: true })
    .description("change a flag's description, rollout (strategy, users, rules, gradual settings) or variants")
    .requiredOption('--name <name>', 'flag name')
    .option('--file <path>', 'a partial flag as JSON or YAML (e.g. rolloutConfig, variants); - for stdin')
    .option('--if-version <n>', 'only if the flag is still at this version (default: the version just read)', parsePositiveInt);
  addFlagSettingOptions(command);
  examples(command, [
    'switchyard update --name my-feature --percentage 25',
    'switchyard update --name my-feature --users alice,bob',
    'switchyard update --name my-feature --rule "plan in premium,enterprise" --rule "country in US,CA"',
    'switchyard update --name my-feature --increment 10 --period 86400 --max-percentage 80',
    'switchyard update --name checkout-test --variant control:50 --variant treatment:50 --env staging',
    'switchyard update --name my-feature --file rollout.yaml',
  ]);
  command.action(
    runWith<UpdateOptions>(async ({ api, out, env }, options) => {
      const patch = await patchFrom(options);
      const version = options.ifVersion ?? (await api.getFlag(options.name, env)).version;
      const flag = await api.patchFlag(options.name, patch, version, env);
      if (out.jsonMode) return out.json(flag);
      out.line(out.green(`Updated ${flag.name} in ${whereText(env)} (version ${flag.version}).`));
      out.line();
      printFlag(out, flag, env);
    }),
  );
}

async function patchFrom(options: UpdateOptions): Promise<Record<string, unknown>> {
  const fromFile = options.file ? await readDocument(options.file) : {};
  if (!isObject(fromFile)) throw new UsageError(`${options.file} should hold a partial flag (an object)`);
  const patch = { ...fromFile, ...flagSettingsFrom(options) };
  delete patch.name;
  if (Object.keys(patch).length === 0) {
    throw new UsageError(
      'nothing to change: pass settings such as --description, --percentage, --users, --rule, --variant, or --file (see --help)',
    );
  }
  return patch;
}
