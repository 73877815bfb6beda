import type { Command } from 'commander';
import type { JsonValue, UserContext } from '@switchyard/core';
import type { EvaluateResult } from '@switchyard/protocol';
import { clientCommand, type ConnectionOptions, ENV_ACTED_ON, finishClientCommand, runWith } from '../cli-context.js';
import { FlagNotFoundError, UsageError } from '../cli-errors.js';
import { collect, parseScalar } from '../flag-input.js';
import type { Output } from '../output.js';

interface EvaluateOptions extends ConnectionOptions {
  name?: string;
  user?: string;
  attr: string[];
}

/** Context attributes the seed's UserContext names; any other --attr goes under `attributes`. */
const CONTEXT_FIELDS = new Set(['email', 'role', 'plan', 'country']);

export function registerEvaluateCommand(program: Command): void {
  const command = clientCommand(program, 'evaluate', { env: ENV_ACTED_ON })
    .description('evaluate a flag (or, without --name, every flag) for a user, as the relay would serve it')
    .option('--name <name>', 'flag name (omit for every flag)')
    .option('--user <id>', 'user id (the targeting key)')
    .option('--attr <key=value>', 'context attribute, e.g. plan=premium or age=25 (repeatable)', collect, []);
  finishClientCommand(command, [
    'switchyard evaluate --name my-feature --user user-123',
    'switchyard evaluate --name premium-feature --user u1 --attr plan=premium --attr country=US --attr age=25',
    'switchyard evaluate --user user-123 --env staging --json',
  ]);
  command.action(
    runWith<EvaluateOptions>(async ({ api, out, env }, options) => {
      const userContext = userContextFrom(options);
      if (options.name === undefined) {
        const { results } = await api.evaluateAll(userContext, env);
        if (out.jsonMode) return out.json(results);
        return printResults(out, Object.values(results));
      }
      const result = await api.evaluate({ flagName: options.name, userContext, environment: env });
      if (result.errorCode === 'FLAG_NOT_FOUND') throw new FlagNotFoundError(options.name, env);
      if (out.jsonMode) return out.json(result);
      printResults(out, [result]);
    }),
  );
}

export function userContextFrom(options: EvaluateOptions): UserContext {
  const context: UserContext = {};
  const attributes: Record<string, JsonValue> = {};
  if (options.user !== undefined) context.userId = options.user;
  for (const pair of options.attr) {
    const separator = pair.indexOf('=');
    if (separator <= 0) throw new UsageError(`--attr "${pair}" should read key=value, e.g. plan=premium`);
    const key = pair.slice(0, separator).trim();
    const value = pair.slice(separator + 1);
    if (key === 'userId') context.userId = value;
    else if (CONTEXT_FIELDS.has(key)) (context as Record<string, unknown>)[key] = value;
    else attributes[key] = parseScalar(value);
  }
  if (Object.keys(attributes).length > 0) context.attributes = attributes;
  return context;
}

function printResults(out: Output, results: EvaluateResult[]): void {
  out.table(
    [
      { header: 'FLAG', value: (result) => result.flagName },
      { header: 'VALUE', value: (result) => JSON.stringify(result.value ?? null) },
      { header: 'VARIANT', value: (result) => result.variant ?? '-' },
      { header: 'ENABLED', value: (result) => out.onOff(result.enabled) },
      {
        header: 'REASON',
        value: (result) => (result.errorCode ? `${result.reason} (${result.errorCode})` : result.reason),
      },
    ],
    results,
    'no flags to evaluate',
  );
}
