import { ANY_ENVIRONMENT, type EnvironmentConfig, type Flag } from './model.js';

/** The configuration that applies to `environment`: its own, else `*`'s, else none (the flag is off there). */
export function environmentConfig(flag: Flag, environment: string): EnvironmentConfig | undefined {
  const own = Object.hasOwn(flag.environments, environment) ? flag.environments[environment] : undefined;
  return own ?? (Object.hasOwn(flag.environments, ANY_ENVIRONMENT) ? flag.environments[ANY_ENVIRONMENT] : undefined);
}
