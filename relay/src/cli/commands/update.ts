import type { Command } from 'commander';
import type { Flag } from '@switchyard/core';
import { applyFlagPatch, patchedEnvironment } from '../../features/flags/flag-patch.js';
import type { FlagPatch } from '../../features/flags/flags-schemas.js';
import { clientCommand, type ConnectionOptions, ENV_ACTED_ON, finishClientCommand, runWith } from '../cli-context.js';
import { UsageError } from '../cli-errors.js';
import { readDocument, sourceName } from '../document-file.js';
import { addFlagSettingOptions, flagSettingsFrom, parsePositiveInt, type FlagSettingOptions } from '../flag-input.js';
import { affectedLine, printFlag } from '../flag-view.js';
import { isObject } from '../relay-client.js';
import { withoutStoreFields, type RelayFlag } from '../switchyard-api.js';

interface UpdateOptions extends ConnectionOptions, FlagSettingOptions {
  name: string;
  file?: string;
  ifVersion?: number;
}

/** What the relay's PATCH changes; anything else (variants, type, environments, …) needs a PUT of the whole flag. */
const PATCH_FIELDS = new Set([
  'enabled',
  'rolloutConfig',
  'rules',
  'fallthrough',
  'description',
  'owner',
  'tags',
  'clientVisible',
]);

export function registerUpdateCommand(program: Command): void {
  const command = clientCommand(program, 'update', { env: ENV_ACTED_ON })
    .description("change a flag's description, rollout (strategy, users, rules, gradual settings) or variants")
    .requiredOption('--name <name>', 'flag name')
    .option('--file <path>', 'a partial flag as JSON or YAML (e.g. rolloutConfig, variants); - for stdin')
    .option(
      '--if-version <n>',
      'only if the flag is still at this version (default: the version just read)',
      parsePositiveInt,
    );
  addFlagSettingOptions(command);
  finishClientCommand(command, [
    'switchyard update --name my-feature --percentage 25',
    'switchyard update --name my-feature --users alice,bob',
    'switchyard update --name my-feature --rule "plan in premium,enterprise" --rule "country in US,CA"',
    'switchyard update --name my-feature --increment 10 --period 86400 --max-percentage 80',
    'switchyard update --name checkout-test --variant control:50 --variant treatment:50 --env staging',
    'switchyard update --name my-feature --file rollout.yaml',
    'switchyard update --name pricing-limits --client-visible false',
  ]);
  command.action(
    runWith<UpdateOptions>(async ({ api, out, env }, options) => {
      const { patch, whole } = splitChange(await changeFrom(options));
      const read = await api.getFlag(options.name);
      const version = options.ifVersion ?? read.version;
      let flag: RelayFlag;
      if (Object.keys(whole).length === 0) {
        flag = await api.patchFlag(options.name, patch, version, env);
      } else {
        // One PUT for both parts, the environment's part applied as the relay's PATCH would apply it.
        const base = { ...(withoutStoreFields(read) as Flag), ...whole } as Flag;
        const environment = patchedEnvironment(base, env, await api.defaultEnvironment());
        const next: Record<string, unknown> =
          Object.keys(patch).length === 0 ? { ...base } : applyFlagPatch(base, patch as FlagPatch, environment);
        flag = await api.replaceFlag(options.name, next, version);
      }
      if (out.jsonMode) return out.json(flag);
      out.line(out.green(`Updated ${flag.name} (version ${flag.version}).`));
      out.line(affectedLine(out, flag.affectedEnvironments));
      out.line();
      printFlag(out, flag, env);
    }),
  );
}

async function changeFrom(options: UpdateOptions): Promise<Record<string, unknown>> {
  const fromFile = options.file ? await readDocument(options.file) : {};
  if (!isObject(fromFile)) throw new UsageError(`${sourceName(options.file)} should hold a partial flag (an object)`);
  const change = { ...fromFile, ...flagSettingsFrom(options) };
  if (change.name !== undefined && change.name !== options.name) {
    throw new UsageError(
      `${sourceName(options.file)} names flag "${String(change.name)}" but --name is "${options.name}": flags cannot be renamed`,
    );
  }
  for (const field of ['name', 'version', 'environment', 'createdAt', 'updatedAt']) delete change[field];
  if (Object.keys(change).length === 0) {
    throw new UsageError(
      'nothing to change: pass settings such as --description, --percentage, --users, --rule, --variant, or --file (see --help)',
    );
  }
  return change;
}

/** What a PATCH can say, and the flag-level fields (variants, type, …) only a PUT of the whole flag can. */
function splitChange(change: Record<string, unknown>): {
  patch: Record<string, unknown>;
  whole: Record<string, unknown>;
} {
  const patch: Record<string, unknown> = {};
  const whole: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(change)) (PATCH_FIELDS.has(key) ? patch : whole)[key] = value;
  return { patch, whole };
}
