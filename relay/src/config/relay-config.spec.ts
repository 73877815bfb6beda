import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadConfig } from './relay-config.js';
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
    const env = { SWITCHYARD_PORT: '9000', SWITCHYARD_ENVIRONMENTS: 'dev, prod', SWITCHYARD_DEFAULT_ENVIRONMENT: 'prod', SWITCHYARD_ANALYTICS_ENABLED: 'off' };
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
});
