import { describe, expect, it } from 'vitest';
import { BootstrapError, loadBootstrap } from './bootstrap.js';

const production = (rules: unknown[]) => ({ production: { enabled: true, rules, fallthrough: { serve: false } } });

describe('loadBootstrap', () => {
  it("when a flag is over core's default size limits, then it is taken (the relay that exported it had raised them)", async () => {
    const userIds = Array.from({ length: 10_001 }, (_, i) => `u${i}`);
    const snapshot = await loadBootstrap({
      environment: 'production',
      flags: [{ name: 'many-users', environments: production([{ strategy: 'user_list', userIds }]) }] as never,
    });
    expect(snapshot.flags[0]!.name).toBe('many-users');
  });

  it('when a flag is not a flag, then the error names its place and field', async () => {
    await expect(loadBootstrap({ environment: 'production', flags: [{ name: 'Not Kebab' }] as never })).rejects.toThrow(
      BootstrapError,
    );
    await expect(loadBootstrap({ environment: 'production', flags: [{ name: 'Not Kebab' }] as never })).rejects.toThrow(
      /^bootstrap\.flags\[0\]\.name: /,
    );
  });
});
