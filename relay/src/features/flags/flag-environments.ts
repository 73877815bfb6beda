import { environmentConfig, isClientVisible, type Flag } from '@switchyard/core';

/**
 * Whether a flag exists in an environment: configured for it by name or by `*`. Everywhere else
 * (evaluation, OFREP, streams, usage) it is "not found in environment X".
 */
export function hasEnvironment(flag: Flag | undefined, environment: string): flag is Flag {
  return flag !== undefined && environmentConfig(flag, environment) !== undefined;
}

/** Who evaluates: client keys (browsers) see only flags visible to clients; every other key sees them all. */
export type Audience = 'client' | 'server';

export function audienceOf(role: string): Audience {
  return role === 'client' ? 'client' : 'server';
}

/** Whether a flag exists for one audience in one environment. */
export type FlagExists = (flag: Flag | undefined, environment: string) => flag is Flag;

/**
 * Which flags an audience may see: for a client key a flag hidden from clients (`clientVisible:
 * false`, or absent while SWITCHYARD_FLAG_CLIENT_VISIBLE_DEFAULT is false) does not exist, exactly
 * like a flag the environment lacks.
 */
export class FlagVisibility {
  private readonly forClients: FlagExists;

  constructor(readonly clientVisibleByDefault: boolean) {
    this.forClients = (flag, environment): flag is Flag =>
      hasEnvironment(flag, environment) && isClientVisible(flag, clientVisibleByDefault);
  }

  existsFor(audience: Audience): FlagExists {
    return audience === 'client' ? this.forClients : hasEnvironment;
  }
}
