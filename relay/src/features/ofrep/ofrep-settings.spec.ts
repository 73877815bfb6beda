import { describe, expect, it } from 'vitest';
import { DEFAULT_OFREP_SETTINGS, ofrepSettingsFromEnvironment } from './ofrep-settings.js';

describe('ofrepSettingsFromEnvironment', () => {
  it('when nothing is set, then the defaults apply', () => {
    expect(ofrepSettingsFromEnvironment({})).toEqual(DEFAULT_OFREP_SETTINGS);
  });

  it('when origins and limits are set, then they are read', () => {
    const settings = ofrepSettingsFromEnvironment({
      SWITCHYARD_CORS_ALLOWED_ORIGINS: 'https://app.example, http://localhost:5173',
      SWITCHYARD_OFREP_RATE_LIMIT_PER_MINUTE: '30',
    });
    expect(settings.corsAllowedOrigins).toEqual(['https://app.example', 'http://localhost:5173']);
    expect(settings.rateLimitPerMinute).toBe(30);
  });

  it('when a value is malformed, then the error names the variable', () => {
    expect(() => ofrepSettingsFromEnvironment({ SWITCHYARD_CORS_ALLOWED_ORIGINS: 'https://app.example/path' })).toThrow(
      /SWITCHYARD_CORS_ALLOWED_ORIGINS/,
    );
    expect(() => ofrepSettingsFromEnvironment({ SWITCHYARD_OFREP_RATE_LIMIT_PER_MINUTE: '0' })).toThrow(
      /SWITCHYARD_OFREP_RATE_LIMIT_PER_MINUTE/,
    );
  });
});
