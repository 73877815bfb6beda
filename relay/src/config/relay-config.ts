import {
  OFREP_ENVIRONMENT_VARIABLES,
  ofrepSettingsFromEnvironment,
  type OfrepSettings,
} from '../features/ofrep/ofrep-settings.js';
import {
  realtimeSettingsFromEnvironment,
  SCHEDULER_CRON_VARIABLE,
  STREAM_ENVIRONMENT_VARIABLES,
  STREAM_MAX_PER_KEY_VARIABLE,
  SYNC_ENVIRONMENT_VARIABLES,
  type RealtimeSettings,
} from '../features/sync/realtime-settings.js';
import {
  USAGE_ENVIRONMENT_VARIABLES,
  usageSettingsFromEnvironment,
  type UsageSettings,
} from '../features/usage/usage-settings.js';
import { ConfigError } from './config-error.js';
import { SETTINGS, type RelaySettings, type SettingDefinition } from './settings.js';

/** Everything the relay is started with: its own settings and those of the slices that keep theirs. */
export interface RelayConfig extends RelaySettings {
  realtime: RealtimeSettings;
  usage: UsageSettings;
  ofrep: OfrepSettings;
}

export interface ConfigSources {
  /** Environment variables (process.env). */
  env?: NodeJS.ProcessEnv;
  /** Values given as `switchyard serve` options, as text, by setting key; they win over `env`. */
  options?: Partial<Record<keyof RelaySettings, string>>;
}

/**
 * The environment variables of the slices that keep their own settings (stream, sync, scheduler,
 * OFREP, usage). `switchyard serve` offers each as an option too: `SWITCHYARD_SYNC_INTERVAL_MS`
 * is `--sync-interval-ms`.
 */
export const SLICE_ENVIRONMENT_VARIABLES: readonly string[] = [
  ...Object.values(STREAM_ENVIRONMENT_VARIABLES),
  STREAM_MAX_PER_KEY_VARIABLE,
  ...Object.values(SYNC_ENVIRONMENT_VARIABLES),
  SCHEDULER_CRON_VARIABLE,
  ...Object.values(OFREP_ENVIRONMENT_VARIABLES),
  ...Object.values(USAGE_ENVIRONMENT_VARIABLES),
];

/** `SWITCHYARD_SYNC_INTERVAL_MS` → `--sync-interval-ms`. */
export function optionForVariable(variable: string): string {
  return `--${variable
    .replace(/^SWITCHYARD_/, '')
    .toLowerCase()
    .replace(/_/g, '-')}`;
}

/** Reads every setting (option, else environment variable, else default), checks each and how they fit together. */
export function loadConfig(sources: ConfigSources = {}): RelayConfig {
  const env = sources.env ?? {};
  const settings = {} as Record<keyof RelaySettings, unknown>;
  for (const setting of SETTINGS as readonly SettingDefinition[]) {
    settings[setting.key] = readSetting(setting, env, sources.options ?? {});
  }
  const relay = settings as unknown as RelaySettings;
  checkCombination(relay);
  return {
    ...relay,
    realtime: wrap('realtime', () => realtimeSettingsFromEnvironment(env)),
    usage: wrap('usage', () => usageSettingsFromEnvironment(env)),
    ofrep: wrap('ofrep', () => ofrepSettingsFromEnvironment(env)),
  };
}

/** The defaults with some settings replaced: for tests and embedding (`startRelay(configWith({port: 0}))`). */
export function configWith(overrides: Partial<RelayConfig>): RelayConfig {
  const config = { ...loadConfig(), ...overrides };
  checkCombination(config);
  return config;
}

function readSetting(
  setting: SettingDefinition,
  env: NodeJS.ProcessEnv,
  options: Partial<Record<string, string>>,
): unknown {
  const option = options[setting.key];
  if (option !== undefined) return setting.parse(option, setting.flag);
  const text = env[setting.env];
  if (text !== undefined && text !== '') return setting.parse(text, setting.env);
  return Array.isArray(setting.default) ? [...setting.default] : setting.default;
}

function checkCombination(settings: RelaySettings): void {
  if (!settings.environments.includes(settings.defaultEnvironment)) {
    throw new ConfigError(
      'SWITCHYARD_DEFAULT_ENVIRONMENT',
      `the default environment "${settings.defaultEnvironment}" is not among SWITCHYARD_ENVIRONMENTS (${settings.environments.join(', ')})`,
    );
  }
  if (settings.defaultPageSize > settings.maxPageSize) {
    throw new ConfigError(
      'SWITCHYARD_DEFAULT_PAGE_SIZE',
      `SWITCHYARD_DEFAULT_PAGE_SIZE (${settings.defaultPageSize}) must not exceed SWITCHYARD_MAX_PAGE_SIZE (${settings.maxPageSize})`,
    );
  }
}

function wrap<T>(setting: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(setting, error instanceof Error ? error.message : String(error));
  }
}
