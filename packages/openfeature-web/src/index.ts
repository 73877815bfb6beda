export { SwitchyardWebProvider } from './lib/switchyard-web-provider.js';
export type { SwitchyardWebProviderOptions } from './lib/options.js';
export type { FlagAnswer, FlagValues } from './lib/flag-values.js';
export type { WebTransport, ValuesAnswer, ChangeStream, ChangeStreamHandlers } from './lib/transport.js';
export { RelayTransport } from './lib/relay-transport.js';
export {
  PROVIDER_NAME,
  SwitchyardHttpError,
  SwitchyardTooManyRequestsError,
  SwitchyardTransportError,
  SwitchyardUnauthorizedError,
  type TransportErrorCode,
} from '@switchyard/protocol';
