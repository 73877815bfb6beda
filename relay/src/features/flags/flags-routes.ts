import { invalidInput } from '../../http/http-errors.js';
import { defineRoute, type HeaderDoc, type Route } from '../../http/route.js';
import type { ApiKeyRole } from '../../store/store.js';
import { flagViewFor, scopedEnvironment } from '../../http/key-scope.js';
import type { FlagsService, FlagWrite } from './flags-service.js';
import {
  flagDocument,
  flagGetQuerySchema,
  flagHistorySchema,
  historyQuerySchema,
  flagListQuerySchema,
  flagPageSchema,
  flagParamsSchema,
  flagPatchSchema,
  patchQuerySchema,
  rollbackBodySchema,
  storedFlagSchema,
  writtenFlagSchema,
  versionQuerySchema,
} from './flags-schemas.js';
import {
  expectedVersionOf,
  ifMatchHeader,
  versionRequiredResponse,
  type WriteVersionPolicy,
} from './version-precondition.js';

const FLAG_READERS: readonly ApiKeyRole[] = ['admin', 'editor', 'viewer', 'server'];
const FLAG_WRITERS: readonly ApiKeyRole[] = ['admin', 'editor'];

const TAG = 'Feature flags';
const FLAGS = '/api/v1/feature-flags';
const FLAG = `${FLAGS}/{name}`;

function etag(version: number): Record<string, string> {
  return { etag: `"${version}"` };
}

const ETAG_HEADER: Record<string, HeaderDoc> = {
  ETag: { description: 'The flag\'s version, quoted (`"3"`): send it back as If-Match to write based on it.' },
};

const AFFECTED_ENVIRONMENTS_HEADER = 'affected-environments';
const AFFECTED_HEADER: Record<string, HeaderDoc> = {
  'Affected-Environments': {
    description:
      'The environments whose evaluation of the flag the write can change, comma-separated (empty: none, e.g. a description change).',
  },
};
const WRITE_HEADERS: Record<string, HeaderDoc> = { ...ETAG_HEADER, ...AFFECTED_HEADER };

/** The seed's flag routes: CRUD, PATCH of one environment, history and rollback. */
export function flagsRoutes(flags: FlagsService, policy: WriteVersionPolicy): Route[] {
  const limits = flags.limits;
  const nameParams = flagParamsSchema(limits);
  const flagBody = flagDocument(limits);
  const ifMatch = ifMatchHeader(policy);
  const versionRequired = versionRequiredResponse(policy);
  return [
    defineRoute({
      method: 'get',
      path: FLAGS,
      operationId: 'listFlags',
      summary: 'List flags',
      tag: TAG,
      access: FLAG_READERS,
      query: flagListQuerySchema(limits),
      responses: { 200: { description: 'One page of flags, sorted by name.', schema: flagPageSchema } },
      async handle({ query, principal }) {
        const environment = scopedEnvironment(principal, query.environment);
        const page = await flags.list({ ...query, environment });
        return { body: { ...page, flags: page.flags.map((flag) => flagViewFor(principal, flag)) } };
      },
    }),
    defineRoute({
      method: 'post',
      path: FLAGS,
      operationId: 'createFlag',
      summary: 'Create a flag',
      tag: TAG,
      access: FLAG_WRITERS,
      jsonBody: { description: 'The new flag.', schema: flagBody },
      responses: {
        201: {
          description: 'The flag as stored, at version 1, and the environments it is in.',
          schema: writtenFlagSchema,
          headers: { ...WRITE_HEADERS, Location: { description: "The flag's URL." } },
        },
      },
      async handle({ body, principal }) {
        const write = await flags.create(body, principal);
        return {
          status: 201,
          body: writeAnswer(write),
          headers: { ...writeHeaders(write), location: `${FLAGS}/${write.flag.name}` },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: FLAG,
      operationId: 'getFlag',
      summary: 'Read a flag',
      tag: TAG,
      access: FLAG_READERS,
      params: nameParams,
      query: flagGetQuerySchema,
      responses: {
        200: { description: 'The flag; its ETag is its version.', schema: storedFlagSchema, headers: ETAG_HEADER },
      },
      async handle({ params, query, principal }) {
        const environment = scopedEnvironment(principal, query.environment);
        if (environment !== undefined) flags.environmentOf(environment, 'query.environment');
        const flag = await flags.get(params.name, environment);
        return { body: flagViewFor(principal, flag), headers: etag(flag.version) };
      },
    }),
    defineRoute({
      method: 'put',
      path: FLAG,
      operationId: 'replaceFlag',
      summary: 'Replace a flag',
      tag: TAG,
      access: FLAG_WRITERS,
      params: nameParams,
      query: versionQuerySchema,
      requestHeaders: ifMatch,
      jsonBody: { description: 'The whole flag; the version read goes in If-Match or `version`.', schema: flagBody },
      responses: {
        200: {
          description: 'The flag as stored, one version up, and the environments the write affected.',
          schema: writtenFlagSchema,
          headers: WRITE_HEADERS,
        },
        ...versionRequired,
      },
      async handle({ params, query, body, headers, principal }) {
        const expected = expectedVersionOf(policy, headers, versionField(body), query.force);
        const write = await flags.replace(params.name, body, expected, principal);
        return { body: writeAnswer(write), headers: writeHeaders(write) };
      },
    }),
    defineRoute({
      method: 'patch',
      path: FLAG,
      operationId: 'patchFlag',
      summary: 'Change part of a flag',
      tag: TAG,
      access: FLAG_WRITERS,
      params: nameParams,
      query: patchQuerySchema,
      requestHeaders: ifMatch,
      body: flagPatchSchema,
      responses: {
        200: {
          description: 'The flag as stored, one version up, and the environments the write affected.',
          schema: writtenFlagSchema,
          headers: WRITE_HEADERS,
        },
        ...versionRequired,
      },
      async handle({ params, query, body, headers, principal }) {
        const expected = expectedVersionOf(policy, headers, body.version, query.force);
        if (
          query.environment !== undefined &&
          body.environment !== undefined &&
          query.environment !== body.environment
        ) {
          throw flagsConflictingEnvironments(query.environment, body.environment);
        }
        const named = body.environment ?? query.environment;
        const environment =
          named === undefined || named === '*'
            ? named
            : flags.environmentOf(named, body.environment ? 'environment' : 'query.environment');
        const write = await flags.patch(params.name, body, environment, expected, principal);
        return { body: writeAnswer(write), headers: writeHeaders(write) };
      },
    }),
    defineRoute({
      method: 'delete',
      path: FLAG,
      operationId: 'deleteFlag',
      summary: 'Delete a flag',
      tag: TAG,
      access: FLAG_WRITERS,
      params: nameParams,
      query: versionQuerySchema,
      requestHeaders: ifMatch,
      responses: { 204: { description: 'Deleted.', headers: AFFECTED_HEADER }, ...versionRequired },
      async handle({ params, query, headers, principal }) {
        const affected = await flags.delete(
          params.name,
          expectedVersionOf(policy, headers, undefined, query.force, null),
          principal,
        );
        return { status: 204, headers: affectedHeader(affected) };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${FLAG}/history`,
      operationId: 'flagHistory',
      summary: "Read a flag's history",
      tag: TAG,
      access: FLAG_READERS,
      params: nameParams,
      query: historyQuerySchema,
      responses: { 200: { description: 'Its versions, oldest first, a page at a time.', schema: flagHistorySchema } },
      async handle({ params, query, principal }) {
        const page = await flags.history(params.name, {
          ...query,
          environment: scopedEnvironment(principal, undefined),
        });
        return {
          body: { flagName: params.name, ...page, versions: page.versions.map((flag) => flagViewFor(principal, flag)) },
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: `${FLAG}/rollback`,
      operationId: 'rollbackFlag',
      summary: 'Roll a flag back',
      tag: TAG,
      access: FLAG_WRITERS,
      params: nameParams,
      query: versionQuerySchema,
      requestHeaders: ifMatch,
      body: rollbackBodySchema,
      responses: {
        200: {
          description: 'The restored configuration, stored as a new version, and the environments the write affected.',
          schema: writtenFlagSchema,
          headers: WRITE_HEADERS,
        },
        ...versionRequired,
      },
      async handle({ params, query, body, headers, principal }) {
        const expected = expectedVersionOf(policy, headers, body.expectedVersion, query.force, 'expectedVersion');
        const write = await flags.rollback(params.name, body.version, expected, principal);
        return { body: writeAnswer(write), headers: writeHeaders(write) };
      },
    }),
  ];
}

/** A write's answer: the flag as stored plus `affectedEnvironments`. */
function writeAnswer(write: FlagWrite): Record<string, unknown> {
  return { ...write.flag, affectedEnvironments: write.affectedEnvironments };
}

function writeHeaders(write: FlagWrite): Record<string, string> {
  return { ...etag(write.flag.version), ...affectedHeader(write.affectedEnvironments) };
}

function affectedHeader(environments: readonly string[]): Record<string, string> {
  return { [AFFECTED_ENVIRONMENTS_HEADER]: environments.join(', ') };
}

function versionField(body: unknown): unknown {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as { version?: unknown }).version
    : undefined;
}

function flagsConflictingEnvironments(query: string, body: string) {
  return invalidInput([
    {
      path: 'environment',
      expected: `"${query}" (as the query says)`,
      message: `the query names environment "${query}" but the body "${body}"`,
    },
  ]);
}
