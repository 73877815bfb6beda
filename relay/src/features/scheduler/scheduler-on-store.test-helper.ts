import type { FlagLimits } from '@switchyard/core';
import { createLogger } from '../../logging/logger.js';
import type { Store } from '../../store/store.js';
import { AuditService } from '../audit/audit-service.js';
import { FlagChangeHub } from '../flags/flag-change-feed.js';
import { FlagVisibility } from '../flags/flag-environments.js';
import { FlagMap } from '../flags/flag-map.js';
import { FlagsService } from '../flags/flags-service.js';
import { FlagSync } from '../sync/flag-sync.js';
import { GradualScheduler } from './gradual-scheduler.js';

/**
 * For tests: the scheduler on `store` wired as the relay wires it: its steps go through a
 * FlagsService (validated with `limits`, audited, published on `flags.changes`) whose writes the
 * sync reads back into `flagMap`.
 */
export function schedulerOnStore(store: Store, limits: Partial<FlagLimits> = {}) {
  const logger = createLogger('silent');
  const flagMap = new FlagMap();
  const sync = new FlagSync(store.flags, flagMap, { changed: () => undefined, reloaded: () => undefined });
  const flags = new FlagsService(
    store.flags,
    flagMap,
    () => sync.pollNow(),
    new FlagChangeHub(logger),
    new AuditService(store.audit, logger),
    {
      defaultEnvironment: 'production',
      environments: ['production', 'staging'],
      defaultPageSize: 50,
      maxPageSize: 500,
      limits,
      visibility: new FlagVisibility(true),
    },
    logger,
  );
  return { flags, flagMap, scheduler: new GradualScheduler(store.flags, flags) };
}
