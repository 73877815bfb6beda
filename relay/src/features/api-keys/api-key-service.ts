import { randomUUID } from 'node:crypto';
import { ConfigError } from '../../config/config-error.js';
import type { Principal } from '../../http/route.js';
import { invalidInput, notFound } from '../../http/http-errors.js';
import type { ApiKeyView, NewApiKey } from '@switchyard/protocol';
import type { ApiKeyRecord, ApiKeyRole, ApiKeyStore } from '../../store/store.js';
import { StoreUnavailableError } from '../../store/store-errors.js';
import { SCHEDULER_ACTOR, type AuditActor, type AuditService } from '../audit/audit-service.js';
import { adminKeyProblem, generateKey, hashSecret, keyHint, parseKey, sameHash } from './api-key-format.js';
import { parseStreamToken, streamToken, tokenExpiry, tokenMatches } from './stream-token.js';

export interface ApiKeyServiceOptions {
  /** Environments a server or client key may be scoped to. */
  environments: readonly string[];
  /** How long a looked-up key is trusted without asking the store again. */
  cacheSeconds: number;
  /** Most keys cached (SWITCHYARD_API_KEY_CACHE_MAX_KEYS); when full, the cache starts over. */
  maxCachedKeys: number;
  /** `lastUsedAt` is written at most this often per key (SWITCHYARD_API_KEY_LAST_USED_INTERVAL_SECONDS). */
  lastUsedIntervalSeconds: number;
  /** True while the store is known to be down (StoreHealth): keys are then checked from memory only. */
  storeDown?: () => boolean;
}

/** The audit actor of changes the relay makes itself (admin keys at start). */
const RELAY_ACTOR: AuditActor = { name: 'relay' };
/** Names of the relay's own audit actors: a key named so could pass its changes off as the relay's. */
const RESERVED_KEY_NAMES: readonly string[] = [RELAY_ACTOR.name, SCHEDULER_ACTOR.name];

const SCOPED_ROLES: readonly ApiKeyRole[] = ['server', 'client'];

/** Creates, lists, revokes and checks API keys. Secrets are shown once, at creation, and stored as SHA-256. */
export class ApiKeyService {
  private readonly cache = new Map<string, { record: ApiKeyRecord; until: number }>();
  /** When this relay last wrote each key's `lastUsedAt`. */
  private readonly usedWritten = new Map<string, number>();

  constructor(
    private readonly store: ApiKeyStore,
    private readonly audit: AuditService,
    private readonly options: ApiKeyServiceOptions,
    private readonly now: () => number = Date.now,
  ) {}

  async create(input: NewApiKey, actor: AuditActor): Promise<{ apiKey: ApiKeyView; key: string }> {
    checkName(input.name);
    this.checkScope(input);
    const generated = generateKey(input.role);
    const record: ApiKeyRecord = {
      id: generated.id,
      name: input.name,
      role: input.role,
      secretHash: hashSecret(generated.secret),
      createdAt: new Date(this.now()).toISOString(),
    };
    if (input.environment !== undefined) record.environment = input.environment;
    await this.store.create(record);
    const apiKey = viewOf(record);
    await this.audit.record(actor, { action: 'api-key.create', environment: input.environment, after: apiKey });
    return { apiKey, key: generated.key };
  }

  async list(): Promise<ApiKeyView[]> {
    return (await this.store.list()).map(viewOf);
  }

  /** Revokes the key; revoking a revoked key answers it unchanged and writes nothing, so its first revocation time stands. */
  async revoke(id: string, actor: AuditActor): Promise<ApiKeyView> {
    const before = await this.store.get(id);
    if (before === null) throw notFound('API_KEY_NOT_FOUND', `no API key with id "${id}"`, { id });
    const revokedNow =
      before.revokedAt === undefined && (await this.store.revoke(id, new Date(this.now()).toISOString()));
    this.forget(id);
    const after = (await this.store.get(id)) ?? before;
    if (revokedNow)
      await this.audit.record(actor, {
        action: 'api-key.revoke',
        environment: before.environment,
        before: viewOf(before),
        after: viewOf(after),
      });
    return viewOf(after);
  }

  /** The key's principal; undefined when it is malformed, unknown, revoked or its secret differs. */
  async authenticate(key: string): Promise<Principal | undefined> {
    const parsed = parseKey(key);
    const presentedHash = hashSecret(parsed ? parsed.secret : key);
    const record = parsed
      ? await this.lookup(parsed.id, () => this.store.get(parsed.id))
      : await this.lookupByHash(presentedHash);
    if (record === null || record.revokedAt !== undefined) return undefined;
    if (!sameHash(presentedHash, record.secretHash)) return undefined;
    if (parsed && parsed.role !== record.role) return undefined;
    this.noteUse(record.id);
    return principalOf(record);
  }

  /**
   * A stream token (stream-token.ts) for this key, valid for one to two `ttlSeconds`: what event-stream
   * URLs carry instead of a server key.
   */
  async streamToken(principal: Principal, ttlSeconds: number): Promise<string> {
    const record = await this.lookup(principal.keyId, () => this.store.get(principal.keyId));
    if (record === null)
      throw notFound('API_KEY_NOT_FOUND', `no API key with id "${principal.keyId}"`, { id: principal.keyId });
    return streamToken(record.id, record.secretHash, tokenExpiry(this.now(), ttlSeconds));
  }

  /** The principal of the key a stream token was made for; undefined when it is malformed, expired, forged or the key revoked. */
  async authenticateStreamToken(token: string): Promise<Principal | undefined> {
    const parsed = parseStreamToken(token);
    if (parsed === undefined || parsed.expiresAt * 1000 <= this.now()) return undefined;
    const record = await this.lookup(parsed.keyId, () => this.store.get(parsed.keyId));
    if (record === null || record.revokedAt !== undefined || !tokenMatches(parsed, record.secretHash)) return undefined;
    return principalOf(record);
  }

  /**
   * Adds an admin key with this exact text (SWITCHYARD_ADMIN_KEY) unless the store already has it;
   * throws ConfigError when the text cannot be an admin key (adminKeyProblem).
   */
  async ensureKey(key: string, name: string): Promise<void> {
    const problem = adminKeyProblem(key);
    if (problem !== undefined) throw new ConfigError('SWITCHYARD_ADMIN_KEY', problem);
    if ((await this.authenticate(key)) !== undefined) return;
    const parsed = parseKey(key);
    const existing = parsed ? await this.store.get(parsed.id) : await this.store.findBySecretHash(hashSecret(key));
    if (existing !== null) {
      throw new ConfigError(
        'SWITCHYARD_ADMIN_KEY',
        `the key id ${existing.id} of SWITCHYARD_ADMIN_KEY is taken by a revoked key or one with another secret: choose a new key`,
      );
    }
    const record: ApiKeyRecord = {
      id: parsed?.id ?? randomUUID().replace(/-/g, '').slice(0, 16),
      name,
      role: 'admin',
      secretHash: hashSecret(parsed ? parsed.secret : key),
      createdAt: new Date(this.now()).toISOString(),
    };
    await this.store.create(record);
    await this.audit.record(RELAY_ACTOR, { action: 'api-key.create', after: viewOf(record) });
  }

  /** Creates a new admin key when the store holds no usable admin key; returns its text, shown once. */
  async createFirstAdminKey(name: string): Promise<string | undefined> {
    const keys = await this.store.list();
    if (keys.some((key) => key.role === 'admin' && key.revokedAt === undefined)) return undefined;
    const { key } = await this.create({ name, role: 'admin' }, RELAY_ACTOR);
    return key;
  }

  /** Records the use without delaying the request; at most once per key per `lastUsedIntervalSeconds`. */
  private noteUse(id: string): void {
    const now = this.now();
    const written = this.usedWritten.get(id);
    if (written !== undefined && now - written < this.options.lastUsedIntervalSeconds * 1000) return;
    if (this.usedWritten.size >= this.options.maxCachedKeys) this.usedWritten.clear();
    this.usedWritten.set(id, now);
    // A lost lastUsedAt write only makes the time older; it must never fail the request that used the key.
    this.store.markUsed(id, new Date(now).toISOString()).catch(() => this.usedWritten.delete(id));
  }

  private checkScope(input: NewApiKey): void {
    const scoped = SCOPED_ROLES.includes(input.role);
    if (scoped && input.environment === undefined) {
      throw invalidInput([
        {
          path: 'environment',
          expected: 'an environment name',
          message: `a ${input.role} key is scoped to one environment: name it`,
        },
      ]);
    }
    if (!scoped && input.environment !== undefined) {
      throw invalidInput([
        {
          path: 'environment',
          expected: 'no environment',
          message: `${input.role} keys see every environment; omit environment`,
        },
      ]);
    }
    if (input.environment !== undefined && !this.options.environments.includes(input.environment)) {
      throw invalidInput([
        {
          path: 'environment',
          expected: `one of ${this.options.environments.join(', ')}`,
          message: `unknown environment "${input.environment}"`,
        },
      ]);
    }
  }

  /** The record whose secret hashes to `hash` (the presented key's hash, computed once per request). */
  private async lookupByHash(hash: string): Promise<ApiKeyRecord | null> {
    return this.lookup(`hash:${hash}`, () => this.store.findBySecretHash(hash));
  }

  private async lookup(cacheKey: string, load: () => Promise<ApiKeyRecord | null>): Promise<ApiKeyRecord | null> {
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined && cached.until > this.now()) return cached.record;
    // Known down: a key this relay verified is answered from memory at once, not after the store's timeout.
    if (cached !== undefined && this.options.storeDown?.() === true) return cached.record;
    let record: ApiKeyRecord | null;
    try {
      record = await load();
    } catch (error) {
      // The store is down: a key this relay already verified keeps working, so evaluations and streams go on (docs/scaling.md).
      // Trusted for another cache period, so each key waits out the store's timeout at most once per period, not on every request.
      if (cached !== undefined && error instanceof StoreUnavailableError) {
        cached.until = this.now() + this.options.cacheSeconds * 1000;
        return cached.record;
      }
      throw error;
    }
    if (record !== null && this.options.cacheSeconds > 0) {
      if (this.cache.size >= this.options.maxCachedKeys) this.cache.clear();
      this.cache.set(cacheKey, { record, until: this.now() + this.options.cacheSeconds * 1000 });
    }
    return record;
  }

  private forget(id: string): void {
    for (const [cacheKey, entry] of this.cache) if (entry.record.id === id) this.cache.delete(cacheKey);
  }
}

function checkName(name: string): void {
  if (RESERVED_KEY_NAMES.includes(name.trim().toLowerCase())) {
    throw invalidInput([
      {
        path: 'name',
        expected: `a name other than ${RESERVED_KEY_NAMES.join(', ')}`,
        message: `"${name}" is reserved for the relay's own entries in the audit log`,
      },
    ]);
  }
}

function principalOf(record: ApiKeyRecord): Principal {
  const principal: Principal = { keyId: record.id, name: record.name, role: record.role };
  if (record.environment !== undefined) principal.environment = record.environment;
  return principal;
}

function viewOf(record: ApiKeyRecord): ApiKeyView {
  const view: ApiKeyView = {
    id: record.id,
    name: record.name,
    role: record.role,
    hint: keyHint(record.role, record.id),
    createdAt: record.createdAt,
  };
  if (record.environment !== undefined) view.environment = record.environment;
  if (record.revokedAt !== undefined) view.revokedAt = record.revokedAt;
  if (record.lastUsedAt !== undefined) view.lastUsedAt = record.lastUsedAt;
  return view;
}
