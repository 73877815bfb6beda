import { describe, expect, it } from 'vitest';
import {
  SwitchyardHttpError,
  SwitchyardTooManyRequestsError,
  SwitchyardTransportError,
  SwitchyardUnauthorizedError,
  transportErrorForStatus,
} from './transport-errors.js';

describe('the transport-error family', () => {
  it.each([
    [401, SwitchyardUnauthorizedError, 'SWITCHYARD_UNAUTHORIZED', 'PROVIDER_FATAL', false],
    [403, SwitchyardUnauthorizedError, 'SWITCHYARD_UNAUTHORIZED', 'PROVIDER_FATAL', false],
    [429, SwitchyardTooManyRequestsError, 'SWITCHYARD_TOO_MANY_REQUESTS', 'GENERAL', true],
    [400, SwitchyardHttpError, 'SWITCHYARD_HTTP_ERROR', 'GENERAL', false],
    [408, SwitchyardHttpError, 'SWITCHYARD_HTTP_ERROR', 'GENERAL', true],
    [413, SwitchyardHttpError, 'SWITCHYARD_HTTP_ERROR', 'GENERAL', false],
    [503, SwitchyardHttpError, 'SWITCHYARD_HTTP_ERROR', 'GENERAL', true],
  ])(
    'when the relay answers %i, then a %o with code %s, OpenFeature code %s and retriable=%s',
    (status, type, code, openFeatureErrorCode, retriable) => {
      const error = transportErrorForStatus(status, `HTTP ${status}`);
      expect(error).toBeInstanceOf(type);
      expect(error).toBeInstanceOf(SwitchyardTransportError);
      expect(error).toMatchObject({ status, code, openFeatureErrorCode, retriable, message: `HTTP ${status}` });
    },
  );

  it('when no answer came, then the base error is retriable and maps to GENERAL', () => {
    const cause = new TypeError('fetch failed');
    const error = new SwitchyardTransportError('could not reach the relay', true, { cause });
    expect(error).toMatchObject({
      code: 'SWITCHYARD_TRANSPORT_ERROR',
      openFeatureErrorCode: 'GENERAL',
      retriable: true,
      name: 'SwitchyardTransportError',
      cause,
    });
  });

  it('when a 429 or 503 carries a Retry-After, then the error keeps it', () => {
    expect(transportErrorForStatus(429, 'slow down', 7_000)).toMatchObject({ retryAfterMs: 7_000 });
    expect(transportErrorForStatus(503, 'restarting', 2_000)).toMatchObject({ retryAfterMs: 2_000 });
    expect(transportErrorForStatus(429, 'slow down')).toMatchObject({ retryAfterMs: undefined });
  });

  it('when logged, then the name says which error it is', () => {
    expect(String(transportErrorForStatus(401, 'revoked'))).toBe('SwitchyardUnauthorizedError: revoked');
  });
});
