import { DEFAULT_FLAG_LIMITS, reportedVariantNames, validateFlag, type Flag, type FlagLimits } from '@switchyard/core';
import { invalidInput, notFound } from '../../http/http-errors.js';
import { decodePageCursor, encodePageCursor } from '../../http/page-cursor.js';
import type { Logger } from '../../logging/logger.js';
import type { FlagChangeRecord, FlagQuery, FlagStore, StoredFlag } from '../../store/store.js';
import { VersionConflictError } from '../../store/store-errors.js';
import type { AuditActor, AuditService } from '../audit/audit-service.js';
import { resumeRollouts } from './resume-rollouts.js';
import type { FlagMap } from './flag-map.js';
import type { FlagChangeFeed, FlagChangeHub } from './flag-change-feed.js';
import { affectedEnvironments } from './affected-environments.js';
import { applyFlagPatch, patchedEnvironment } from './flag-patch.js';
import type { FlagPatch } from './flags-schemas.js';
import type { ExpectedVersion } from './version-precondition.js';
import { hasEnvironment, type Audience, type FlagVisibility } from './flag-environments.js';

export interface FlagsServiceOptions {
  defaultEnvironment: string;
  environments: readonly string[];
  defaultPageSize: number;
  maxPageSize: number;
  /** validateFlag's limits (the relay's SWITCHYARD_FLAG_MAX_* settings); core's defaults when absent. */
  limits?: Partial<FlagLimits>;
  /** Which flags client keys see (usage from a client key may name only those). */
  visibility: FlagVisibility;
}

/** A stored write: the flag as stored, and the environments whose evaluation of it the write can change. */
export interface FlagWrite {
  flag: StoredFlag;
  affectedEnvironments: string[];
}

export interface FlagPage {
  flags: StoredFlag[];
  nextCursor?: string;
}

export interface FlagListRequest extends Omit<FlagQuery, 'after'> {
  cursor?: string;
}

export interface HistoryRequest {
  /** Scoped keys: the flag must exist in their environment. */
  environment?: string;
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

export interface HistoryPageAnswer {
  versions: StoredFlag[];
  nextCursor?: string;
}

/** Fields answers carry beside the flag's own (write answers add affectedEnvironments): dropped from input, so an answer can be sent back. */
const STORE_FIELDS = ['version', 'revision', 'createdAt', 'updatedAt', 'affectedEnvironments'] as const;
/** How often a write to the current version reads again after losing to another write, before it answers 409. */
const CURRENT_VERSION_WRITE_ATTEMPTS = 100;

/**
 * Flag management: every write is validated by core, conditional on the version read, audited,
 * read back into the flag map by the sync (which pushes it to streams), and published on the change
 * feed, in that order: by the time anyone sees a change, its audit entry is written.
 */
export class FlagsService {
  constructor(
    private readonly store: FlagStore,
    /** The relay's flags in memory (read here; the sync writes it). */
    private readonly flagMap: FlagMap,
    /** The sync's poll: resolves once the flag map has read the store's latest changes. */
    private readonly catchUp: () => Promise<void>,
    private readonly feed: FlagChangeHub,
    private readonly audit: AuditService,
    private readonly options: FlagsServiceOptions,
    private readonly logger: Logger,
  ) {}

  /** Which flags client keys see. */
  get visibility(): FlagVisibility {
    return this.options.visibility;
  }

  /** The limits writes are validated with: route schemas bound flag names (and the OpenAPI document flags) by them. */
  get limits(): FlagLimits {
    return { ...DEFAULT_FLAG_LIMITS, ...this.options.limits };
  }

  /** Each change after a successful write through this service (the flag map has it applied by then). */
  get changes(): FlagChangeFeed {
    return this.feed;
  }

  /**
   * The variant names evaluations of the flag report (its variants', and `on`/`off` where they
   * apply) when the environment has it now for the audience (configured by name or `*`, and for
   * client keys visible to them; from the flag map), else undefined: usage checks the flags and
   * variants senders name.
   */
  variantsIn(name: string, environment: string, audience: Audience): string[] | undefined {
    const flag = this.flagMap.get(name);
    return this.options.visibility.existsFor(audience)(flag, environment) ? reportedVariantNames(flag) : undefined;
  }

  /** The environment a request names, checked against the relay's list; the default when it names none. */
  environmentOf(requested: string | undefined, path = 'environment'): string {
    const environment = requested ?? this.options.defaultEnvironment;
    if (!this.options.environments.includes(environment)) {
      throw invalidInput([
        {
          path,
          expected: `one of ${this.options.environments.join(', ')}`,
          message: `unknown environment "${environment}"`,
        },
      ]);
    }
    return environment;
  }

  async list(request: FlagListRequest): Promise<FlagPage> {
    const limit = this.pageLimit(request.limit);
    if (request.environment !== undefined) this.environmentOf(request.environment, 'query.environment');
    const query: FlagQuery = { limit: limit + 1 };
    if (request.environment !== undefined) query.environment = request.environment;
    if (request.tag !== undefined) query.tag = request.tag;
    if (request.text !== undefined) query.text = request.text;
    if (request.cursor !== undefined) query.after = decodePageCursor(request.cursor);
    const found = await this.store.list(query);
    const flags = found.slice(0, limit);
    const page: FlagPage = { flags };
    if (found.length > limit) page.nextCursor = encodePageCursor(flags[flags.length - 1]!.name);
    return page;
  }

  /** A request's page size, checked against SWITCHYARD_MAX_PAGE_SIZE; the default page size when it names none. */
  private pageLimit(requested: number | undefined): number {
    const limit = requested ?? this.options.defaultPageSize;
    if (limit < 1 || limit > this.options.maxPageSize) {
      throw invalidInput([
        {
          path: 'query.limit',
          expected: `1 to ${this.options.maxPageSize}`,
          message: `limit ${limit} is out of range`,
        },
      ]);
    }
    return limit;
  }

  /** The flag; with `environment`, only if it is configured there (by name or `*`). */
  async get(name: string, environment?: string): Promise<StoredFlag> {
    const flag = await this.store.get(name);
    if (flag === null) throw flagNotFound(name, environment);
    if (environment !== undefined && !hasEnvironment(flag, environment)) throw flagNotFound(name, environment);
    return flag;
  }

  /**
   * A page of the flag's versions, oldest first, after the cursor (a version number); with an
   * environment, only if the flag (as it is now) exists there.
   */
  async history(name: string, request: HistoryRequest = {}): Promise<HistoryPageAnswer> {
    await this.get(name, request.environment);
    const limit = this.pageLimit(request.limit);
    const afterVersion = request.cursor === undefined ? 0 : Number(request.cursor);
    const versions = await this.store.history(name, { afterVersion, limit: limit + 1 });
    const page = versions.slice(0, limit);
    return versions.length > limit
      ? { versions: page, nextCursor: String(page[page.length - 1]!.version) }
      : { versions: page };
  }

  async create(input: unknown, actor: AuditActor): Promise<FlagWrite> {
    const flag = this.validate(input);
    const stored = await this.store.create(flag);
    await this.committed(stored, actor, 'flag.create', undefined);
    return this.written(undefined, stored);
  }

  async replace(name: string, input: unknown, expected: ExpectedVersion, actor: AuditActor): Promise<FlagWrite> {
    const flag = this.validate(input);
    if (flag.name !== name) {
      throw invalidInput([
        {
          path: 'name',
          expected: `"${name}" (the name in the path)`,
          message: 'a flag cannot be renamed; create a new one',
        },
      ]);
    }
    const { before, stored } = await writeBasedOn(expected, async () => {
      const before = await this.get(name);
      return {
        before,
        stored: await this.store.update(resumeRollouts(before, flag, new Date()), versionFor(expected, before)),
      };
    });
    await this.committed(stored, actor, 'flag.update', before);
    return this.written(before, stored);
  }

  /**
   * Applies a PATCH to the environment it names, or, naming none (`undefined`), to the configuration
   * the default environment uses (patchedEnvironment: the shared `*` one when it has no own).
   */
  async patch(
    name: string,
    patch: FlagPatch,
    named: string | undefined,
    expected: ExpectedVersion,
    actor: AuditActor,
  ): Promise<FlagWrite> {
    const { before, stored, environment } = await writeBasedOn(expected, async () => {
      const before = await this.get(name);
      const environment = patchedEnvironment(before, named, this.options.defaultEnvironment);
      const flag = this.validate(applyFlagPatch(withoutStoreFields(before), patch, environment));
      return {
        before,
        environment,
        stored: await this.store.update(resumeRollouts(before, flag, new Date()), versionFor(expected, before)),
      };
    });
    await this.committed(stored, actor, 'flag.patch', before, environment);
    return this.written(before, stored);
  }

  async rollback(name: string, version: number, expected: ExpectedVersion, actor: AuditActor): Promise<FlagWrite> {
    const { before, stored } = await writeBasedOn(expected, async () => {
      const before = await this.get(name);
      const [target] = await this.store.history(name, { afterVersion: version - 1, limit: 1 });
      if (target?.version !== version) {
        throw notFound(
          'VERSION_NOT_FOUND',
          `flag "${name}" has no version ${version}; GET its history for the versions it has`,
          { flagName: name, version },
        );
      }
      return {
        before,
        stored: await this.store.update(
          resumeRollouts(before, this.validate(target), new Date()),
          versionFor(expected, before),
        ),
      };
    });
    await this.committed(stored, actor, 'flag.rollback', before);
    return this.written(before, stored);
  }

  /** Deletes the flag; answers the environments that had it. */
  async delete(name: string, expected: ExpectedVersion, actor: AuditActor): Promise<string[]> {
    const { before, record } = await writeBasedOn(expected, async () => {
      const before = await this.get(name);
      return { before, record: await this.store.delete(name, versionFor(expected, before)) };
    });
    await this.audit.record(actor, { action: 'flag.delete', flagName: name, before });
    await this.publish(record);
    return affectedEnvironments(before, undefined, this.options.environments);
  }

  /**
   * Stores `flag` over `before` if `before` is still the current version (else the store's
   * VersionConflictError): for writers that compute the new flag themselves (the scheduler's
   * gradual steps), through the path every write takes: validated, read into the flag map,
   * published and audited as `action` by `actor`.
   */
  async replaceVersion(
    before: StoredFlag,
    flag: Flag,
    actor: AuditActor,
    action: string,
    environment?: string,
  ): Promise<FlagWrite> {
    const stored = await this.store.update(this.validate(flag), before.version);
    await this.committed(stored, actor, action, before, environment);
    return this.written(before, stored);
  }

  private written(before: StoredFlag | undefined, stored: StoredFlag): FlagWrite {
    return { flag: stored, affectedEnvironments: affectedEnvironments(before, stored, this.options.environments) };
  }

  private validate(input: unknown): Flag {
    const result = validateFlag(withoutStoreFields(input), {
      limits: this.options.limits ?? {},
      environments: this.options.environments,
    });
    if (!result.ok) throw invalidInput(result.problems);
    return result.flag;
  }

  private async committed(
    stored: StoredFlag,
    actor: AuditActor,
    action: string,
    before: StoredFlag | undefined,
    environment?: string,
  ): Promise<void> {
    await this.audit.record(actor, { action, flagName: stored.name, environment, before, after: stored });
    await this.publish({
      revision: stored.revision,
      flagName: stored.name,
      kind: 'upsert',
      flag: stored,
      at: stored.updatedAt,
    });
  }

  private async publish(record: FlagChangeRecord): Promise<void> {
    await this.catchUp();
    this.feed.publish(record);
  }
}

export function flagNotFound(name: string, environment: string | undefined) {
  const where = environment === undefined ? '' : ` in environment "${environment}"`;
  const extra: Record<string, unknown> = { flagName: name };
  if (environment !== undefined) extra.environment = environment;
  return notFound('FLAG_NOT_FOUND', `flag "${name}" was not found${where}`, extra);
}

/**
 * Runs a read-then-write, stored only if the version read is still current. A write that named its
 * version fails with the store's conflict; one to the current version (no version named, or
 * `?force=true`) reads again and reapplies itself while other writes keep getting in first, up to
 * CURRENT_VERSION_WRITE_ATTEMPTS, with a short random pause so the writers spread out. So a PATCH
 * is an atomic read-modify-write: concurrent PATCHes of different fields all land.
 */
async function writeBasedOn<T>(expected: ExpectedVersion, attempt: () => Promise<T>): Promise<T> {
  for (let attempts = 1; ; attempts++) {
    try {
      return await attempt();
    } catch (error) {
      if (
        !('current' in expected) ||
        !(error instanceof VersionConflictError) ||
        attempts >= CURRENT_VERSION_WRITE_ATTEMPTS
      )
        throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempts, 10)));
    }
  }
}

function versionFor(expected: ExpectedVersion, current: StoredFlag): number {
  return 'version' in expected ? expected.version : current.version;
}

function withoutStoreFields<T>(input: T): T {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const copy: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const field of STORE_FIELDS) delete copy[field];
  return copy as T;
}
