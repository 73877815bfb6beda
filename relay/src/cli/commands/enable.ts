import { environmentConfig } from '@switchyard/core';
import type { Command } from 'commander';
import {
  type CliContext,
  clientCommand,
  type ConnectionOptions,
  ENV_ACTED_ON,
  finishClientCommand,
  runWith,
} from '../cli-context.js';
import { parsePercent } from '../flag-input.js';
import { affectedLine, describeConfig } from '../flag-view.js';

interface SwitchOptions extends ConnectionOptions {
  name: string;
  percentage?: number;
}

export function registerEnableCommand(program: Command): void {
  const command = clientCommand(program, 'enable', { env: ENV_ACTED_ON })
    .description('switch a flag on in one environment, optionally for a percentage of users')
    .requiredOption('--name <name>', 'flag name')
    .option('--percentage <percent>', 'serve this share of users (percentage rollout), 0..100', parsePercent);
  finishClientCommand(command, [
    'switchyard enable --name my-feature --percentage 50',
    'switchyard enable --name my-feature --env staging',
  ]);
  command.action(
    runWith<SwitchOptions>(async (context, options) => {
      const patch: Record<string, unknown> = { enabled: true };
      if (options.percentage !== undefined) {
        patch.rolloutConfig = { strategy: 'percentage', percentage: options.percentage };
      }
      await switchFlag(context, options.name, patch, 'Enabled');
    }),
  );
}

export function registerDisableCommand(program: Command): void {
  const command = clientCommand(program, 'disable', { env: ENV_ACTED_ON })
    .description('switch a flag off in one environment (its rollout settings are kept)')
    .requiredOption('--name <name>', 'flag name');
  finishClientCommand(command, [
    'switchyard disable --name my-feature',
    'switchyard disable --name my-feature --env staging',
  ]);
  command.action(
    runWith<SwitchOptions>(async (context, options) => {
      await switchFlag(context, options.name, { enabled: false }, 'Disabled');
    }),
  );
}

async function switchFlag(
  { api, out, env }: CliContext,
  name: string,
  patch: Record<string, unknown>,
  verb: string,
): Promise<void> {
  // Read without --env: enabling a flag in an environment it has no configuration for yet adds one.
  // Without --env the relay changes what its default environment uses: the shared `*` configuration when it has no own.
  const read = await api.getFlag(name);
  const flag = await api.patchFlag(name, patch, read.version, env);
  if (out.jsonMode) return out.json(flag);
  const shown = env ?? (await api.defaultEnvironment());
  const config = environmentConfig(flag, shown);
  out.line(`${verb} ${out.bold(name)} in environment "${shown}" (version ${flag.version}).`);
  out.line(affectedLine(out, flag.affectedEnvironments));
  out.line(`${out.onOff(config?.enabled)}  ${describeConfig(config)}`);
}
