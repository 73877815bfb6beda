import type { Command } from 'commander';
import { clientCommand, type ConnectionOptions, ENV_SHOWN, finishClientCommand, runWith } from '../cli-context.js';
import { printFlag } from '../flag-view.js';

interface GetOptions extends ConnectionOptions {
  name: string;
}

export function registerGetCommand(program: Command): void {
  const command = clientCommand(program, 'get', { env: ENV_SHOWN })
    .description("show one flag: its fields, variants and every environment's rollout")
    .requiredOption('--name <name>', 'flag name');
  finishClientCommand(command, [
    'switchyard get --name my-feature',
    'switchyard get --name my-feature --env staging',
    'switchyard get --name my-feature --json | jq .version',
  ]);
  command.action(
    runWith<GetOptions>(async ({ api, out, env }, options) => {
      const flag = await api.getFlag(options.name, env);
      if (out.jsonMode) return out.json(flag);
      printFlag(out, flag, env);
    }),
  );
}
