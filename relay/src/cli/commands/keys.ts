import type { Command } from 'commander';
import {
  clientCommand,
  examples,
  finishClientCommand,
  runWith,
  withUsageExitCode,
  type ConnectionOptions,
} from '../cli-context.js';
import type { ApiKeyInfo } from '../switchyard-api.js';

/** The relay's roles (issue 3); listed here for help texts only, the relay validates. */
const ROLES = ['admin', 'editor', 'viewer', 'server', 'client'];

interface CreateKeyOptions extends ConnectionOptions {
  name: string;
  role: string;
}

interface RevokeKeyOptions extends ConnectionOptions {
  id: string;
}

export function registerKeysCommand(program: Command): void {
  const keys = withUsageExitCode(
    program.command('keys').description('create, list and revoke API keys (admin keys only)'),
  );
  examples(keys, [
    'switchyard keys create --name ci-deploy --role editor',
    'switchyard keys create --name web-app --role client --env production',
    'switchyard keys list',
    'switchyard keys revoke --id <id>',
  ]);
  registerCreate(keys);
  registerList(keys);
  registerRevoke(keys);
}

function registerCreate(keys: Command): void {
  const command = clientCommand(keys, 'create', { env: false })
    .description('create an API key; its secret is printed once, store it now')
    .requiredOption('--name <name>', 'who or what uses the key (shown in the audit log)')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--env <environment>', 'for server and client keys: the one environment the key may see');
  finishClientCommand(command, [
    'switchyard keys create --name ci-deploy --role editor',
    'switchyard keys create --name checkout-service --role server --env production',
    'SECRET=$(switchyard keys create --name ci --role viewer --json | jq -r .key)',
  ]);
  command.action(
    runWith<CreateKeyOptions>(async ({ api, out }, options) => {
      const key = await api.createKey({ name: options.name, role: options.role, environment: options.env });
      if (out.jsonMode) return out.json(key);
      out.line(
        out.green(
          `Created API key ${key.id} (${key.name}, ${key.role}${key.environment ? `, ${key.environment}` : ''}).`,
        ),
      );
      out.line(`Secret (shown only now): ${out.bold(key.key ?? '')}`);
    }),
  );
}

function registerList(keys: Command): void {
  const command = clientCommand(keys, 'list', { env: false }).description('list API keys (never their secrets)');
  finishClientCommand(command, ['switchyard keys list', 'switchyard keys list --json']);
  command.action(
    runWith<ConnectionOptions>(async ({ api, out }) => {
      const list = await api.listKeys();
      if (out.jsonMode) return out.json(list);
      out.table<ApiKeyInfo>(
        [
          { header: 'ID', value: (key) => key.id },
          { header: 'NAME', value: (key) => key.name },
          { header: 'ROLE', value: (key) => key.role },
          { header: 'ENVIRONMENT', value: (key) => key.environment ?? '-' },
          { header: 'HINT', value: (key) => key.hint ?? '-' },
          { header: 'CREATED', value: (key) => key.createdAt ?? '-' },
          {
            header: 'STATUS',
            value: (key) => (key.revokedAt ? out.red(`revoked ${key.revokedAt}`) : out.green('active')),
          },
        ],
        list,
        'no API keys',
      );
    }),
  );
}

function registerRevoke(keys: Command): void {
  const command = clientCommand(keys, 'revoke', { env: false })
    .description('revoke an API key; requests with it fail from now on')
    .requiredOption('--id <id>', 'the key id (see `switchyard keys list`)');
  finishClientCommand(command, ['switchyard keys revoke --id 3f9c2a']);
  command.action(
    runWith<RevokeKeyOptions>(async ({ api, out }, options) => {
      await api.revokeKey(options.id);
      if (out.jsonMode) return out.json({ revoked: options.id });
      out.line(`Revoked API key ${options.id}.`);
    }),
  );
}
