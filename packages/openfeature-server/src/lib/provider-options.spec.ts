import { describe, expect, it } from 'vitest';
import { DEFAULT_PROVIDER_OPTIONS, InvalidProviderOptionsError, resolveProviderOptions } from './provider-options.js';

describe('resolveProviderOptions', () => {
  it('when only relayUrl and sdkKey are given, then every limit has its documented default', () => {
    const options = resolveProviderOptions({ relayUrl: 'http://relay.test/', sdkKey: 'key' });
    expect(options).toMatchObject({ ...DEFAULT_PROVIDER_OPTIONS, relayUrl: 'http://relay.test' });
  });

  it('when a nested limit is given, then the other nested limits keep their defaults', () => {
    const options = resolveProviderOptions({
      relayUrl: 'http://relay.test',
      sdkKey: 'key',
      usage: { flushAtEvents: 3 },
    });
    expect(options.usage).toEqual({ ...DEFAULT_PROVIDER_OPTIONS.usage, flushAtEvents: 3 });
  });

  it.each([
    [{ relayUrl: '', sdkKey: 'key' }, 'relayUrl'],
    [{ relayUrl: 'ftp://relay.test', sdkKey: 'key' }, 'relayUrl'],
    [{ relayUrl: 'http://relay.test', sdkKey: '' }, 'sdkKey'],
    [{ relayUrl: 'http://relay.test', sdkKey: 'key', initTimeoutMs: -1 }, 'initTimeoutMs'],
    [
      { relayUrl: 'http://relay.test', sdkKey: 'key', usage: { maxBufferedEvents: Number.NaN } },
      'usage.maxBufferedEvents',
    ],
    [{ relayUrl: 'http://relay.test', sdkKey: 'key', staleAfterMs: 10, errorAfterMs: 5 }, 'errorAfterMs'],
  ])('when options are %j, then the error names %s', (options, option) => {
    expect(() => resolveProviderOptions(options)).toThrow(InvalidProviderOptionsError);
    expect(() => resolveProviderOptions(options)).toThrow(`'${option}'`);
  });
});
