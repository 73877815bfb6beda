/**
 * Every failure the CLI reports: one class per cause, each with a stable `code`, the process
 * exit code scripts can branch on, and a message that fits one line and says what to do next.
 */

export const EXIT_CODES = {
  failure: 1,
  usage: 2,
  unreachable: 3,
  auth: 4,
  notFound: 5,
  invalidInput: 6,
  conflict: 7,
} as const;

export abstract class CliError extends Error {
  abstract readonly code: string;
  abstract readonly exitCode: number;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Wrong or missing command-line input (options, files); nothing was sent to the relay. */
export class UsageError extends CliError {
  readonly code = 'USAGE';
  readonly exitCode = EXIT_CODES.usage;
}

export class RelayUnreachableError extends CliError {
  readonly code = 'RELAY_UNREACHABLE';
  readonly exitCode = EXIT_CODES.unreachable;
  constructor(
    readonly relayUrl: string,
    reason: string,
  ) {
    super(
      `cannot reach the relay at ${relayUrl} (${reason}): start it with \`switchyard serve\` ` +
        'or point --relay-url / SWITCHYARD_URL at a running relay',
    );
  }
}

/** 401 (no or unknown key) and 403 (the key's role may not do this). */
export class AuthError extends CliError {
  readonly code = 'AUTH';
  readonly exitCode = EXIT_CODES.auth;
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

export class FlagNotFoundError extends CliError {
  readonly code = 'FLAG_NOT_FOUND';
  readonly exitCode = EXIT_CODES.notFound;
  constructor(
    readonly flagName: string,
    readonly environment: string | undefined,
  ) {
    const where = environment ? `environment "${environment}"` : 'any environment';
    const hint = environment ? `\`switchyard list --env ${environment}\` or pass another --env` : '`switchyard list`';
    super(`flag "${flagName}" not found in ${where}: check the name with ${hint}`);
  }
}

/** A 404 for something other than a flag (an API key, a version, a route the relay lacks). */
export class NotFoundError extends CliError {
  readonly code = 'NOT_FOUND';
  readonly exitCode = EXIT_CODES.notFound;
}

/** One problem with the input, as the relay (problem+json `errors`) or the local validator reports it. */
export interface FieldProblem {
  path: string;
  expected?: string;
  message: string;
}

export class InvalidInputError extends CliError {
  readonly code = 'INVALID_INPUT';
  readonly exitCode = EXIT_CODES.invalidInput;
  constructor(
    readonly problems: FieldProblem[],
    fallback = 'the relay rejected the input',
    readonly source?: string,
  ) {
    super(describeProblems(problems, fallback, source));
  }
}

function describeProblems(problems: FieldProblem[], fallback: string, source: string | undefined): string {
  const where = source ? `${source}: ` : '';
  const [first, ...others] = problems;
  if (!first) return `invalid input: ${where}${fallback}`;
  const more =
    others.length === 0
      ? ''
      : `; also ${others
          .slice(0, 3)
          .map((problem) => problem.path || '(the whole input)')
          .join(', ')}${others.length > 3 ? ', …' : ''}`;
  return `invalid input: ${where}${describeProblem(first)}${more}`;
}

/** "path: message (expected …)", without repeating what the message already says. */
function describeProblem(problem: FieldProblem): string {
  const field = problem.path === '' ? '(the whole input)' : problem.path;
  const text = problem.message.startsWith(`${field}:`) ? problem.message : `${field}: ${problem.message}`;
  const expected =
    problem.expected && !problem.message.includes(problem.expected) ? ` (expected ${problem.expected})` : '';
  return `${text}${expected}`;
}

export class ConflictError extends CliError {
  readonly code = 'CONFLICT';
  readonly exitCode = EXIT_CODES.conflict;
}

/** The relay answered something the CLI cannot use: another status, or a body that is not JSON. */
export class RelayResponseError extends CliError {
  readonly code = 'RELAY_ERROR';
  readonly exitCode = EXIT_CODES.failure;
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
