import type { Command } from 'commander';
import { clientCommand, finishClientCommand, runWith, type ConnectionOptions } from '../cli-context.js';
import { UsageError } from '../cli-errors.js';
import { readDocument, sourceName } from '../document-file.js';
import { addFlagSettingOptions, flagSettingsFrom, type FlagSettingOptions } from '../flag-input.js';
import { isObject } from '../relay-client.js';
import { affectedLine, printFlag } from '../flag-view.js';

interface CreateOptions extends ConnectionOptions, FlagSettingOptions {
  name: string;
  enabled?: boolean;
  file?: string;
}

export function registerCreateCommand(program: Command): void {
  const command = clientCommand(program, 'create', {
    env: 'the one environment the new flag is configured for (default: every environment, as *)',
  })
    .description('create a feature flag; it is off until enabled (--enabled or `switchyard enable`)')
    .requiredOption('--name <name>', 'flag name, kebab-case (the OpenFeature flag key)')
    .option('--enabled', 'switch the flag on at once')
    .option('--file <path>', 'more settings from a JSON or YAML file (seed or canonical flag shape; - for stdin)');
  addFlagSettingOptions(command);
  finishClientCommand(command, [
    'switchyard create --name my-feature --description "My feature"',
    'switchyard create --name beta-dashboard --env staging --enabled --percentage 25',
    'switchyard create --name checkout-test --type object --variant \'control:50={"color":"blue"}\' --variant \'treatment:50={"color":"green"}\'',
    'switchyard create --name premium-report --file premium-report.yaml',
  ]);
  command.action(
    runWith<CreateOptions>(async ({ api, out, env }, options) => {
      const flag = await api.createFlag(await creationBody(options, env));
      if (out.jsonMode) return out.json(flag);
      out.line(out.green(`Created flag ${flag.name} (version ${flag.version}).`));
      out.line(affectedLine(out, flag.affectedEnvironments));
      out.line();
      printFlag(out, flag, env);
    }),
  );
}

async function creationBody(options: CreateOptions, env: string | undefined): Promise<Record<string, unknown>> {
  const fromFile = options.file ? await readDocument(options.file) : {};
  if (!isObject(fromFile))
    throw new UsageError(`${sourceName(options.file)} should hold one flag (an object), not ${typeof fromFile}`);
  if (fromFile.name !== undefined && fromFile.name !== options.name) {
    throw new UsageError(
      `${sourceName(options.file)} names flag "${String(fromFile.name)}" but --name is "${options.name}": make them agree`,
    );
  }
  const body: Record<string, unknown> = { ...fromFile, ...flagSettingsFrom(options), name: options.name };
  // A new flag has no rule to merge a bare --percentage into: it means a percentage rollout.
  if (isObject(body.rolloutConfig) && body.rolloutConfig.strategy === undefined) {
    body.rolloutConfig = { strategy: 'percentage', ...body.rolloutConfig };
  }
  const canonical = isObject(body.environments);
  if (options.enabled) body.enabled = true;
  else if (body.enabled === undefined && !canonical) body.enabled = false;
  if (env !== undefined && body.environments === undefined) body.environments = [env];
  return body;
}
