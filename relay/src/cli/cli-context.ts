import { Option, type Command } from 'commander';
import { CliError, EXIT_CODES, UsageError } from './cli-errors.js';
import { parsePositiveInt } from './flag-input.js';
import { colorWanted, Output } from './output.js';
import { RelayClient } from './relay-client.js';
import { SwitchyardApi } from './switchyard-api.js';

/** Where the CLI looks for a relay when neither --relay-url nor SWITCHYARD_URL says. */
const DEFAULT_RELAY_URL = 'http://localhost:8080';
/** How long one request may take before the relay counts as unreachable (--timeout, SWITCHYARD_TIMEOUT_MS). */
const DEFAULT_TIMEOUT_MS = 10_000;

export interface ConnectionOptions {
  relayUrl: string;
  apiKey?: string;
  json?: boolean;
  timeout: number;
  env?: string;
}

/** What every client command's action receives. */
export interface CliContext {
  api: SwitchyardApi;
  out: Output;
  /** The --env given, or undefined: the relay's default environment applies. */
  env?: string;
}

/**
 * A command that talks to the relay, with `--env` described as `options.env` (false: none);
 * commander's own parse errors (unknown option, bad value)
 * exit with the usage code. Finish it with `finishClientCommand` once its own options are added.
 */
export function clientCommand(parent: Command, name: string, options: { env: string | false }): Command {
  const command = parent.command(name);
  if (options.env !== false) command.option('--env <environment>', options.env);
  return withUsageExitCode(command);
}

/** `--env` of commands that change or evaluate one environment. */
export const ENV_ACTED_ON = "environment to act on (default: the relay's default environment)";
/** `--env` of commands that show every environment unless told one. */
export const ENV_SHOWN = 'only this environment (default: every environment)';

/** Adds the options every client command shares (listed after its own in --help) and its examples. */
export function finishClientCommand(command: Command, exampleLines: string[]): Command {
  command
    .addOption(
      connectionOption(
        new Option('--relay-url <url>', 'relay to talk to').env('SWITCHYARD_URL').default(DEFAULT_RELAY_URL),
      ),
    )
    .addOption(
      connectionOption(new Option('--api-key <key>', 'API key (Authorization: Bearer)').env('SWITCHYARD_API_KEY')),
    )
    .addOption(
      connectionOption(
        new Option('--timeout <ms>', 'per-request timeout in milliseconds')
          .env('SWITCHYARD_TIMEOUT_MS')
          .default(DEFAULT_TIMEOUT_MS)
          .argParser(parsePositiveInt),
      ),
    )
    .addOption(connectionOption(new Option('--json', 'print JSON (for scripts) instead of tables')));
  return examples(command, exampleLines);
}

function connectionOption(option: Option): Option {
  return option.helpGroup('Connection and output:');
}

/** Commander exits 1 on its own errors; ours say "usage" with 2, help stays 0. */
export function withUsageExitCode(command: Command): Command {
  return command.exitOverride((error) => {
    process.exit(error.exitCode === 0 ? 0 : EXIT_CODES.usage);
  });
}

/**
 * Wraps a command's work: builds the context from its options, and turns any failure into one
 * line on stderr and the error's exit code.
 */
export function runWith<O extends ConnectionOptions>(
  work: (context: CliContext, options: O) => Promise<void>,
): (...actionArgs: unknown[]) => Promise<void> {
  return async (...actionArgs) => {
    const command = actionArgs[actionArgs.length - 1] as Command;
    const options = command.opts<O>();
    try {
      await work(contextFor(options), options);
    } catch (error) {
      reportFailure(error);
    }
  };
}

function contextFor(options: ConnectionOptions): CliContext {
  if (!/^https?:\/\/[^/]/.test(options.relayUrl)) {
    throw new UsageError(`--relay-url "${options.relayUrl}" is not an http(s) URL: use e.g. ${DEFAULT_RELAY_URL}`);
  }
  const client = new RelayClient({ relayUrl: options.relayUrl, apiKey: options.apiKey, timeoutMs: options.timeout });
  const out = new Output(Boolean(options.json), colorWanted(process.stdout));
  return { api: new SwitchyardApi(client), out, env: options.env };
}

function reportFailure(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  process.exitCode = error instanceof CliError ? error.exitCode : EXIT_CODES.failure;
}

/** Help text listing examples, shown after the options. */
export function examples(command: Command, lines: string[]): Command {
  return command.addHelpText('after', `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`);
}
