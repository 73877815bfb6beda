import { invalidInput } from './http-errors.js';

/**
 * The `nextCursor` of a paged listing: where the next page starts (the last item's name or id),
 * opaque to clients so the position can change shape without breaking them.
 */
export function encodePageCursor(after: string): string {
  return Buffer.from(JSON.stringify({ after }), 'utf8').toString('base64url');
}

/** The position a `cursor` query parameter names; 400 at `query.cursor` when it is not one this relay issued. */
export function decodePageCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // falls through to the 400 below
  }
  throw invalidCursor();
}

export function invalidCursor(): Error {
  return invalidInput([
    {
      path: 'query.cursor',
      expected: 'the nextCursor of a previous page',
      message: 'the cursor is not one this relay issued',
    },
  ]);
}
