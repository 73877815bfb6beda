import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { ClusterPrimary, WorkerStartError } from '../../cluster/cluster-primary.js';
import { startClusterWorker } from '../../cluster/cluster-worker.js';
import { ConfigError } from '../../config/config-error.js';
import {
  loadConfig,
  optionForVariable,
  SLICE_ENVIRONMENT_VARIABLES,
  type RelayConfig,
} from '../../config/relay-config.js';
import { createLogger } from '../../logging/logger.js';
import { SETTINGS, type RelaySettings } from '../../config/settings.js';
import { startRelay, type RunningRelay } from '../../main.js';
import { examples } from '../cli-context.js';

/** Exit code when a setting is invalid (the usage code of the other commands). */
const CONFIG_EXIT_CODE = 2;

/** `switchyard serve`: runs the relay; every setting is an option, an environment variable, or its default. */
export function registerServeCommand(program: Command): void {
  const command = program
    .command('serve')
    .description('run the relay (REST API, evaluation, keys, audit) until SIGINT or SIGTERM');
  for (const setting of SETTINGS) {
    const shown = setting.secret || setting.default === undefined ? undefined : String(setting.default);
    const option = new Option(`${setting.flag} <${setting.valueName}>`, `${setting.description} [env: ${setting.env}]`);
    if (shown !== undefined) option.default(undefined, shown);
    command.addOption(option);
  }
  const sliceOptions = new Map(
    SLICE_ENVIRONMENT_VARIABLES.map((variable) => [optionKey(optionForVariable(variable)), variable]),
  );
  for (const variable of SLICE_ENVIRONMENT_VARIABLES) {
    command.addOption(
      new Option(`${optionForVariable(variable)} <value>`, `see docs/configuration.md [env: ${variable}]`),
    );
  }
  examples(command, [
    'switchyard serve',
    'switchyard serve --port 8080 --data-dir ./switchyard-data',
    'switchyard serve --mongodb-uri mongodb://localhost:27017/switchyard',
    'switchyard serve --workers 4',
  ]);
  command.action(async (given: Record<string, string | undefined>) => {
    // A slice's option stands for its environment variable; the slice reads it from there.
    const env = { ...process.env };
    const options: Partial<Record<keyof RelaySettings, string>> = {};
    for (const [key, value] of Object.entries(given)) {
      if (value === undefined) continue;
      const variable = sliceOptions.get(key);
      if (variable !== undefined) env[variable] = value;
      else options[key as keyof RelaySettings] = value;
    }
    let config: RelayConfig;
    try {
      config = loadConfig({ env, options });
    } catch (error) {
      exitWithError(error);
    }
    if (cluster.isWorker) return runUntilSignalled(() => startClusterWorker(config));
    const workers = config.workers ?? availableParallelism();
    if (workers > 1) return runCluster(config, workers);
    return runUntilSignalled(() => startRelay(config));
  });
}

/** Starts the relay and stops it (exit 0) on SIGINT or SIGTERM, one that arrives during start-up included. */
async function runUntilSignalled(start: () => Promise<RunningRelay>): Promise<void> {
  let relay: RunningRelay | undefined;
  let stopSignal: string | undefined;
  const shutdown = (signal: string) => {
    stopSignal = signal;
    if (relay) stopAndExit(relay, signal);
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  try {
    relay = await start();
    if (stopSignal !== undefined) stopAndExit(relay, stopSignal);
  } catch (error) {
    exitWithError(error);
  }
}

/** The primary of several workers: exits with 0 once they stopped after SIGINT/SIGTERM, 1 when they keep crashing. */
async function runCluster(config: RelayConfig, workers: number): Promise<void> {
  const logger = createLogger(config.logLevel);
  let primary: ClusterPrimary | undefined;
  let stopSignal: string | undefined;
  const shutdown = (signal: string) => {
    stopSignal = signal;
    if (primary === undefined) return;
    logger.info({ signal, workers }, 'stopping');
    void primary.stop().then((code) => process.exit(code));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  try {
    primary = await ClusterPrimary.start(config, workers, logger);
  } catch (error) {
    // The worker that failed said why on stderr.
    if (error instanceof WorkerStartError) process.exit(error.exitCode);
    exitWithError(error);
  }
  primary.onExit((code) => process.exit(code));
  if (stopSignal !== undefined) shutdown(stopSignal);
}

function exitWithError(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  process.exit(error instanceof ConfigError ? CONFIG_EXIT_CODE : 1);
}

function stopAndExit(relay: RunningRelay, signal: string): void {
  relay.logger.info({ signal }, 'stopping');
  relay.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      relay.logger.error({ error }, 'stop failed');
      process.exit(1);
    },
  );
}

/** Commander's key for an option: `--sync-interval-ms` → `syncIntervalMs`. */
function optionKey(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
