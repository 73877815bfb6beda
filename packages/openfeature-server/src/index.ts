export { SwitchyardProvider } from './lib/switchyard-provider.js';
export {
  DEFAULT_PROVIDER_OPTIONS,
  InvalidProviderOptionsError,
  type SwitchyardProviderOptions,
  type UsageOptions,
} from './lib/provider-options.js';
export { BootstrapError, loadBootstrap, type BootstrapSnapshot, type BootstrapSource } from './lib/bootstrap.js';
export type {
  StreamClosure,
  StreamConnection,
  StreamHandlers,
  SwitchyardTransport,
} from './lib/transport/switchyard-transport.js';
export { RelayTransport, type RelayTransportOptions } from './lib/transport/relay-transport.js';
export {
  PROVIDER_NAME,
  SwitchyardHttpError,
  SwitchyardTooManyRequestsError,
  SwitchyardTransportError,
  SwitchyardUnauthorizedError,
  type BackoffOptions,
  type TransportErrorCode,
} from '@switchyard/protocol';
export {
  FeatureFlagService,
  getFeatureFlagService,
  type FeatureEvaluation,
  type FeatureFlagServiceOptions,
  type FlagTypeLookup,
} from './lib/seed-api/feature-flag-service.js';
export { toEvaluationContext } from '@switchyard/core';
export type { UserContext } from '@switchyard/core';
