import { environmentConfig } from '@switchyard/core';
import type { Command } from 'commander';
import { clientCommand, type ConnectionOptions, ENV_SHOWN, finishClientCommand, runWith } from '../cli-context.js';
import { describeConfig, environmentSwitches } from '../flag-view.js';
import type { RelayFlag } from '../switchyard-api.js';
import type { Column } from '../output.js';

interface ListOptions extends ConnectionOptions {
  tag?: string;
  search?: string;
}

export function registerListCommand(program: Command): void {
  const command = clientCommand(program, 'list', { env: ENV_SHOWN })
    .description('list flags (every page), optionally only those of one environment, tag or text')
    .option('--tag <tag>', 'only flags with this tag')
    .option('--search <text>', 'only flags whose name or description contains this text');
  finishClientCommand(command, [
    'switchyard list',
    'switchyard list --env staging',
    'switchyard list --tag checkout --json',
  ]);
  command.action(
    runWith<ListOptions>(async ({ api, out, env }, options) => {
      const flags = await api.listFlags({ environment: env, tag: options.tag, text: options.search });
      if (out.jsonMode) return out.json(flags);
      const columns: Column<RelayFlag>[] = [{ header: 'NAME', value: (flag) => flag.name }];
      if (env) {
        columns.push(
          { header: 'ENABLED', value: (flag) => out.onOff(environmentConfig(flag, env)?.enabled ?? false) },
          { header: 'ROLLOUT', value: (flag) => describeConfig(environmentConfig(flag, env)) },
        );
      } else {
        columns.push({ header: 'ENVIRONMENTS', value: (flag) => environmentSwitches(out, flag) });
      }
      columns.push(
        {
          header: 'CLIENTS',
          value: (flag) => (flag.clientVisible === undefined ? 'default' : flag.clientVisible ? 'visible' : 'hidden'),
        },
        { header: 'VERSION', value: (flag) => String(flag.version) },
        { header: 'DESCRIPTION', value: (flag) => flag.description ?? '' },
      );
      out.table(
        columns,
        flags,
        env ? `no flags in environment "${env}"` : 'no flags yet: create one with `switchyard create --name <name>`',
      );
    }),
  );
}
