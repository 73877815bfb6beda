import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from '../../logging/logger.js';
import type { ApiKeyService } from './api-key-service.js';

const ADMIN_KEY_FILE = 'admin-key';
const ENV_ADMIN_KEY_NAME = 'admin (SWITCHYARD_ADMIN_KEY)';
const FIRST_ADMIN_KEY_NAME = 'first admin key';

export interface FirstAdminKey {
  /** The generated key: only on the start that created it. */
  key?: string;
  /** Where it was written (mode 0600). */
  file?: string;
}

/**
 * Makes sure an admin can get in. With SWITCHYARD_ADMIN_KEY, that key is accepted (added to the
 * store unless already there). Without it, a store holding no unrevoked admin key gets a new one,
 * written to `<dataDir>/admin-key` with mode 0600 and printed once; later starts print nothing.
 */
export async function ensureFirstAdminKey(
  keys: ApiKeyService,
  settings: { adminKey: string | undefined; dataDir: string },
  logger: Logger,
  print: (text: string) => void,
): Promise<FirstAdminKey> {
  if (settings.adminKey !== undefined) {
    await keys.ensureKey(settings.adminKey, ENV_ADMIN_KEY_NAME);
    return {};
  }
  const key = await keys.createFirstAdminKey(FIRST_ADMIN_KEY_NAME);
  if (key === undefined) return {};
  const file = resolve(join(settings.dataDir, ADMIN_KEY_FILE));
  await mkdir(settings.dataDir, { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  logger.info({ file }, 'first admin key created');
  print(
    `\nSwitchyard: the first admin API key (shown once, also written to ${file}, mode 0600):\n\n  ${key}\n\n` +
      `Use it as "Authorization: Bearer <key>"; create other keys with POST /api/v1/api-keys.\n\n`,
  );
  return { key, file };
}
