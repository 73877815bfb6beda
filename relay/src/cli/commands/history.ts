import { environmentConfig } from '@switchyard/core';
import type { Command } from 'commander';
import { clientCommand, type ConnectionOptions, ENV_SHOWN, finishClientCommand, runWith } from '../cli-context.js';
import { parsePositiveInt } from '../flag-input.js';
import { affectedLine, describeConfig, environmentSwitches } from '../flag-view.js';

interface HistoryOptions extends ConnectionOptions {
  name: string;
}

interface RollbackOptions extends HistoryOptions {
  version: number;
}

export function registerHistoryCommand(program: Command): void {
  const command = clientCommand(program, 'history', { env: ENV_SHOWN })
    .description('list every version of a flag, oldest first')
    .requiredOption('--name <name>', 'flag name');
  finishClientCommand(command, [
    'switchyard history --name my-feature',
    'switchyard history --name my-feature --env staging --json',
  ]);
  command.action(
    runWith<HistoryOptions>(async ({ api, out, env }, options) => {
      const versions = await api.history(options.name);
      if (out.jsonMode) return out.json(versions);
      out.table(
        [
          { header: 'VERSION', value: (flag) => String(flag.version) },
          { header: 'UPDATED', value: (flag) => flag.updatedAt ?? '-' },
          env
            ? {
                header: env.toUpperCase(),
                value: (flag) =>
                  `${out.onOff(environmentConfig(flag, env)?.enabled ?? false)} ${describeConfig(environmentConfig(flag, env))}`,
              }
            : { header: 'ENVIRONMENTS', value: (flag) => environmentSwitches(out, flag) },
        ],
        versions,
        `no history for flag "${options.name}"`,
      );
    }),
  );
}

export function registerRollbackCommand(program: Command): void {
  // `rollback --version N` must not be taken for the program's own --version.
  program.enablePositionalOptions();
  const command = clientCommand(program, 'rollback', { env: ENV_SHOWN })
    .description("restore an earlier version's configuration (written as a new version)")
    .requiredOption('--name <name>', 'flag name')
    .requiredOption('--version <n>', 'the version to restore (see `switchyard history`)', parsePositiveInt);
  finishClientCommand(command, [
    'switchyard history --name my-feature',
    'switchyard rollback --name my-feature --version 3',
  ]);
  command.action(
    runWith<RollbackOptions>(async ({ api, out, env }, options) => {
      const current = await api.getFlag(options.name, env);
      const flag = await api.rollback(options.name, options.version, current.version);
      if (out.jsonMode) return out.json(flag);
      out.line(
        `Rolled ${out.bold(flag.name)} back to version ${options.version}'s configuration (now version ${flag.version}).`,
      );
      out.line(affectedLine(out, flag.affectedEnvironments));
      if (env)
        out.line(
          `environment "${env}": ${out.onOff(environmentConfig(flag, env)?.enabled)} ${describeConfig(environmentConfig(flag, env))}`,
        );
    }),
  );
}
