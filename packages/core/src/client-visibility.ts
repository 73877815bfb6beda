import type { Flag } from './model.js';

/**
 * Whether client keys (browsers) may see the flag: its own `clientVisible`, else the default the
 * relay is configured with. A flag they may not see does not exist for them.
 */
export function isClientVisible(flag: Pick<Flag, 'clientVisible'>, visibleByDefault: boolean): boolean {
  return flag.clientVisible ?? visibleByDefault;
}
