/** One problem with a request, as the relay reports it: where, what was expected there, and why. */
export interface FieldProblem {
  path: string;
  expected: string;
  message: string;
}

/** An `application/problem+json` answer of the relay (RFC 9457), with its documented members. */
export interface ProblemBody {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  requestId?: string;
  errors?: FieldProblem[];
  currentVersion?: number;
  [member: string]: unknown;
}

/** Any answer of the relay that is not a success. `code` is the relay's stable code (docs/api.md). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldProblem[];

  constructor(readonly problem: ProblemBody) {
    super(problem.detail ?? problem.title ?? `the relay answered ${problem.status}`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code ?? `HTTP_${problem.status}`;
    this.errors = problem.errors ?? [];
  }
}

/** 401: no key, or an unknown or revoked one. */
export class UnauthorizedError extends ApiError {
  override readonly name = 'UnauthorizedError';
}

/** 403: the key's role (or environment) does not allow the request. */
export class ForbiddenError extends ApiError {
  override readonly name = 'ForbiddenError';
}

/** 409 VERSION_CONFLICT: someone else saved first; `currentVersion` is where the flag is now. */
export class VersionConflictError extends ApiError {
  override readonly name = 'VersionConflictError';
  get currentVersion(): number | undefined {
    return this.problem.currentVersion;
  }
}

/** 400 INVALID_INPUT: the body or query did not fit; `errors` says where. */
class InvalidInputError extends ApiError {
  override readonly name = 'InvalidInputError';
}

/** The relay could not be reached, or answered something that is not JSON. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

/** The typed error for a problem answer. */
export function errorOf(problem: ProblemBody): ApiError {
  if (problem.status === 401) return new UnauthorizedError(problem);
  if (problem.status === 403) return new ForbiddenError(problem);
  if (problem.status === 409 && problem.code === 'VERSION_CONFLICT') return new VersionConflictError(problem);
  if (problem.status === 400 && problem.code === 'INVALID_INPUT') return new InvalidInputError(problem);
  return new ApiError(problem);
}
