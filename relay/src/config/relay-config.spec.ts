import { describe, expect, it } from 'vitest';
import { DEFAULT_FLAG_LIMITS, type FlagLimits } from '@switchyard/core';
import { FILE_STORE_DEFAULTS } from '../store/file/file-store.js';
import { MONGO_STORE_DEFAULTS } from '../store/mongo/mongo-store.js';
import { ConfigError } from './config-error.js';
import { flagLimitsOf } from './flag-limit-settings.js';
import { configWith, loadConfig } from './relay-config.js';
import { SETTINGS } from './settings.js';

describe('loadConfig', () => {
  it('when nothing is set, then the documented defaults apply', () => {
    const config = loadConfig({ env: {} });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: './.switchyard',
      defaultEnvironment: 'production',
      environments: ['development', 'staging', 'production'],
      analyticsEnabled: true,
      cacheTtlSeconds: 300,
      logLevel: 'info',
    });
    expect(config.mongodbUri).toBeUndefined();
    expect(config.adminKey).toBeUndefined();
  });

  it('when environment variables are set, then they are read; serve options win over them', () => {
    const env = {
      SWITCHYARD_PORT: '9000',
      SWITCHYARD_ENVIRONMENTS: 'dev, prod',
      SWITCHYARD_DEFAULT_ENVIRONMENT: 'prod',
      SWITCHYARD_ANALYTICS_ENABLED: 'off',
    };
    const config = loadConfig({ env, options: { port: '9100' } });
    expect(config.port).toBe(9100);
    expect(config.environments).toEqual(['dev', 'prod']);
    expect(config.defaultEnvironment).toBe('prod');
    expect(config.analyticsEnabled).toBe(false);
  });

  it.each([
    ['SWITCHYARD_PORT', '80800', /SWITCHYARD_PORT must be a whole number from 0 to 65535/],
    ['SWITCHYARD_PORT', 'http', /SWITCHYARD_PORT/],
    ['SWITCHYARD_LOG_LEVEL', 'verbose', /one of debug, info, warn, error, silent/],
    ['SWITCHYARD_MONGODB_URI', 'postgres://x', /mongodb:\/\//],
    ['SWITCHYARD_DEFAULT_ENVIRONMENT', 'qa', /"qa" is not among SWITCHYARD_ENVIRONMENTS/],
    ['SWITCHYARD_ENVIRONMENTS', 'prod uction', /environment name/],
    ['SWITCHYARD_CACHE_TTL_SECONDS', '-1', /SWITCHYARD_CACHE_TTL_SECONDS/],
    ['SWITCHYARD_ANALYTICS_ENABLED', 'maybe', /true or false/],
    ['SWITCHYARD_SYNC_INTERVAL_MS', '0', /SWITCHYARD_SYNC_INTERVAL_MS/],
    ['SWITCHYARD_TRUST_PROXY', 'yes; rm -rf', /SWITCHYARD_TRUST_PROXY must be true, false/],
    ['SWITCHYARD_CHANGE_LOG_RETENTION', '10', /SWITCHYARD_CHANGE_LOG_RETENTION must be a whole number from 100/],
    ['SWITCHYARD_COMPACTION_THRESHOLD_BYTES', '8MiB', /SWITCHYARD_COMPACTION_THRESHOLD_BYTES/],
    ['SWITCHYARD_MONGODB_SERVER_SELECTION_TIMEOUT_MS', '0', /SWITCHYARD_MONGODB_SERVER_SELECTION_TIMEOUT_MS/],
    ['SWITCHYARD_MONGODB_GAP_SETTLE_MS', '50', /SWITCHYARD_MONGODB_GAP_SETTLE_MS must be a whole number from 1000/],
    ['SWITCHYARD_MONGODB_DATABASE', 'flags.prod', /SWITCHYARD_MONGODB_DATABASE must be a MongoDB database name/],
    ['SWITCHYARD_FLAG_MAX_USER_IDS', '0', /SWITCHYARD_FLAG_MAX_USER_IDS must be a whole number from 1 to 1000000/],
    ['SWITCHYARD_FLAG_MAX_RULES', 'many', /SWITCHYARD_FLAG_MAX_RULES/],
  ])('when %s is "%s", then start-up fails naming the setting', (name, value, message) => {
    expect(() => loadConfig({ env: { [name]: value } })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { [name]: value } })).toThrow(message);
  });

  it.each([
    ['true', true],
    ['FALSE', false],
    ['2', 2],
    ['loopback, 10.0.0.0/8', 'loopback, 10.0.0.0/8'],
  ])('when SWITCHYARD_TRUST_PROXY is "%s", then Express gets %s', (text, expected) => {
    expect(loadConfig({ env: { SWITCHYARD_TRUST_PROXY: text } }).trustProxy).toEqual(expected);
  });

  it('every setting has an environment variable, a serve option and a description, each unique', () => {
    expect(new Set(SETTINGS.map((s) => s.env)).size).toBe(SETTINGS.length);
    expect(new Set(SETTINGS.map((s) => s.flag)).size).toBe(SETTINGS.length);
    for (const setting of SETTINGS) {
      expect(setting.env).toMatch(/^SWITCHYARD_[A-Z_]+$/);
      expect(setting.flag).toMatch(/^--[a-z-]+$/);
      expect(setting.description.length).toBeGreaterThan(10);
    }
  });

  it("when nothing is set, then the store settings are the stores' own defaults", () => {
    const config = loadConfig({ env: {} });
    expect(config.changeLogRetention).toBe(FILE_STORE_DEFAULTS.changeLogRetention);
    expect(config.changeLogRetention).toBe(MONGO_STORE_DEFAULTS.changeLogRetention);
    expect(config.compactionThresholdBytes).toBe(FILE_STORE_DEFAULTS.compactionThresholdBytes);
    expect(config.mongodbServerSelectionTimeoutMs).toBe(MONGO_STORE_DEFAULTS.serverSelectionTimeoutMs);
    expect(config.mongodbGapSettleMs).toBe(MONGO_STORE_DEFAULTS.gapSettleMs);
    expect(config.mongodbDatabase).toBeUndefined();
  });

  it('when store settings are given as environment variables or serve options, then they are read', () => {
    const env = {
      SWITCHYARD_CHANGE_LOG_RETENTION: '250',
      SWITCHYARD_MONGODB_GAP_SETTLE_MS: '4000',
      SWITCHYARD_MONGODB_DATABASE: 'flags',
    };
    const config = loadConfig({
      env,
      options: { compactionThresholdBytes: '1048576', mongodbServerSelectionTimeoutMs: '2500' },
    });
    expect(config).toMatchObject({
      changeLogRetention: 250,
      mongodbGapSettleMs: 4000,
      mongodbDatabase: 'flags',
      compactionThresholdBytes: 1_048_576,
      mongodbServerSelectionTimeoutMs: 2500,
    });
  });

  it("when nothing is set, then the flag limits are core's DEFAULT_FLAG_LIMITS", () => {
    expect(flagLimitsOf(loadConfig({ env: {} }))).toEqual(DEFAULT_FLAG_LIMITS);
  });

  it('when SWITCHYARD_FLAG_MAX_USER_IDS and SWITCHYARD_FLAG_MAX_CONDITION_VALUES are set, then validateFlag gets them', () => {
    const limits = flagLimitsOf(
      loadConfig({ env: { SWITCHYARD_FLAG_MAX_USER_IDS: '50000', SWITCHYARD_FLAG_MAX_CONDITION_VALUES: '20' } }),
    );
    expect(limits).toEqual({ ...DEFAULT_FLAG_LIMITS, maxUserIds: 50_000, maxConditionValues: 20 });
  });

  it('every flag limit of core is a setting, except the environment ones, which follow SWITCHYARD_ENVIRONMENTS', () => {
    const limits = Object.keys(DEFAULT_FLAG_LIMITS) as (keyof FlagLimits)[];
    const envs = new Set(SETTINGS.map((setting) => setting.env));
    const missing = limits.filter(
      (limit) => !envs.has(`SWITCHYARD_FLAG_${limit.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`),
    );
    expect(missing).toEqual(['maxEnvironments', 'maxEnvironmentNameLength']);
    const many = Array.from({ length: 60 }, (_, i) => `env-${i}`);
    expect(flagLimitsOf(configWith({ environments: many, defaultEnvironment: 'env-0' })).maxEnvironments).toBe(61);
  });
});
