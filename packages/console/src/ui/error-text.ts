import { ApiError, ForbiddenError, NetworkError } from '../api/problem.js';

/** One line for a failed request: the relay's own words, with the fields it names. */
export function errorText(error: unknown): string {
  if (error instanceof ForbiddenError) return `Not allowed for this key: ${error.message}`;
  if (error instanceof ApiError && error.errors.length > 0) {
    return error.errors
      .map((problem) =>
        problem.message.startsWith(`${problem.path}:`) ? problem.message : `${problem.path}: ${problem.message}`,
      )
      .join('; ');
  }
  if (error instanceof ApiError || error instanceof NetworkError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
