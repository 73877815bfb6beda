/** `metadata.name` of both Switchyard OpenFeature providers: what hooks, logs and telemetry see. */
export const PROVIDER_NAME = 'switchyard';
