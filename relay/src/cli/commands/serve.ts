import { Option, type Command } from 'commander';
import { ConfigError } from '../../config/config-error.js';
import { loadConfig } from '../../config/relay-config.js';
import { SETTINGS, type RelaySettings } from '../../config/settings.js';
import { startRelay, type RunningRelay } from '../../main.js';

/** Exit code when a setting is invalid (the usage code of the other commands). */
const CONFIG_EXIT_CODE = 2;

/** `switchyard serve`: runs the relay; every setting is an option, an environment variable, or its default. */
export function registerServeCommand(program: Command): void {
  const command = program.command('serve').description('run the relay (REST API, evaluation, keys, audit) until SIGINT or SIGTERM');
  for (const setting of SETTINGS) {
    const shown = setting.secret || setting.default === undefined ? undefined : String(setting.default);
    const option = new Option(`${setting.flag} <${setting.valueName}>`, `${setting.description} [env: ${setting.env}]`);
    if (shown !== undefined) option.default(undefined, shown);
    command.addOption(option);
  }
  command.action(async (options: Partial<Record<keyof RelaySettings, string>>) => {
    // Listening for signals before starting, so one that arrives during start-up stops the relay once it is up.
    let relay: RunningRelay | undefined;
    let stopSignal: string | undefined;
    const shutdown = (signal: string) => {
      stopSignal = signal;
      if (relay) stopAndExit(relay, signal);
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    try {
      const config = loadConfig({ env: process.env, options: definedOnly(options) });
      relay = await startRelay(config);
      if (stopSignal !== undefined) stopAndExit(relay, stopSignal);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`error: ${message}\n`);
      process.exit(error instanceof ConfigError ? CONFIG_EXIT_CODE : 1);
    }
  });
}

function stopAndExit(relay: RunningRelay, signal: string): void {
  relay.logger.info('stopping', { signal });
  relay.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      relay.logger.error('stop failed', { error });
      process.exit(1);
    },
  );
}

function definedOnly(options: Partial<Record<keyof RelaySettings, string>>): Partial<Record<keyof RelaySettings, string>> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
