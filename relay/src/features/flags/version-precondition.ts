import type { IncomingHttpHeaders } from 'node:http';
import { invalidInput, preconditionRequired } from '../../http/http-errors.js';
import type { HeaderDoc, ResponseDoc } from '../../http/route.js';

/** `"3"`, `3` or `W/"3"`: the version in an If-Match header. */
const IF_MATCH_VERSION = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/;

/**
 * Whether flag writes must name the version they read (SWITCHYARD_REQUIRE_WRITE_VERSION). Off (the
 * default): a write naming none applies to the version current when it is stored. On: it gets 428
 * unless it asks for that with `?force=true`.
 */
export interface WriteVersionPolicy {
  requireWriteVersion: boolean;
}

/** How the writes that call expectedVersionOf document the header it reads (OpenAPI). */
export function ifMatchHeader(policy: WriteVersionPolicy): Record<string, HeaderDoc> {
  const without = policy.requireWriteVersion
    ? 'Neither this nor a version in the body: 428, unless ?force=true (SWITCHYARD_REQUIRE_WRITE_VERSION is on).'
    : 'Optional: without it (and without a version in the body) the write applies to the version current when it is stored.';
  return {
    'If-Match': {
      description:
        'The flag version the write is based on, as its ETag gave it (`"3"`; `3` and `W/"3"` work too). ' +
        `Another version is current: 409. ${without}`,
      schema: { type: 'string', pattern: IF_MATCH_VERSION.source, examples: ['"3"'] },
    },
  };
}

/** The 428 answer a versioned write documents, only when the relay requires versions. */
export function versionRequiredResponse(policy: WriteVersionPolicy): Record<number, ResponseDoc> {
  if (!policy.requireWriteVersion) return {};
  return {
    428: {
      description:
        "The write names no version read (If-Match or the body's version) and SWITCHYARD_REQUIRE_WRITE_VERSION is on; add ?force=true to overwrite.",
    },
  };
}

/** The version a write was based on, or `current` to apply it to whatever version is current when it is stored. */
export type ExpectedVersion = { version: number } | { current: true };

/**
 * Reads the version a write names: `If-Match: "3"` (or 3, W/"3"), else the body's version field.
 * Both given and different: 400. Neither: the current version, unless the policy requires a
 * version (then 428, unless `?force=true`).
 * `bodyField` null: the route takes no body (DELETE), so only If-Match can name the version.
 */
export function expectedVersionOf(
  policy: WriteVersionPolicy,
  headers: IncomingHttpHeaders,
  bodyVersion: unknown,
  force: boolean | undefined,
  bodyField: string | null = 'version',
): ExpectedVersion {
  const header = ifMatchVersion(headers['if-match']);
  const fromBody = typeof bodyVersion === 'number' && Number.isSafeInteger(bodyVersion) ? bodyVersion : undefined;
  if (bodyVersion !== undefined && bodyVersion !== null && fromBody === undefined) {
    throw invalidInput([
      { path: bodyField ?? 'version', expected: 'an integer', message: 'the version read must be a whole number' },
    ]);
  }
  if (header !== undefined && fromBody !== undefined && header !== fromBody) {
    throw invalidInput([
      {
        path: bodyField ?? 'version',
        expected: `${header} (as If-Match says)`,
        message: `If-Match names version ${header} but the body names ${fromBody}`,
      },
    ]);
  }
  const version = header ?? fromBody;
  if (version !== undefined) return { version };
  if (force === true || !policy.requireWriteVersion) return { current: true };
  const how = bodyField === null ? 'If-Match: "<version>"' : `If-Match: "<version>" or a "${bodyField}" field`;
  throw preconditionRequired(
    `name the version you read (${how}) so no other write is lost (this relay requires it: SWITCHYARD_REQUIRE_WRITE_VERSION); ` +
      'add ?force=true to overwrite whatever is current',
  );
}

function ifMatchVersion(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(',') : header;
  const match = IF_MATCH_VERSION.exec(text);
  if (!match) {
    throw invalidInput([
      { path: 'If-Match', expected: 'a flag version, e.g. "3"', message: `If-Match ${text} is not a version` },
    ]);
  }
  return Number(match[1]);
}
