import {
  AuthError,
  ConflictError,
  FlagNotFoundError,
  InvalidInputError,
  NotFoundError,
  RelayResponseError,
  RelayUnreachableError,
  type FieldProblem,
} from './cli-errors.js';

/**
 * The CLI's only door to the relay: plain `fetch`, JSON in and out. Transport failures and
 * problem+json answers become the typed errors of `cli-errors.ts`, each one line long.
 */

export interface RelayClientOptions {
  relayUrl: string;
  apiKey?: string;
  /** Per request; a relay slower than this counts as unreachable. */
  timeoutMs: number;
  fetchImpl?: typeof fetch;
}

/** What a 404 or 409 means for this request, so the error can say it in the user's words. */
export interface RequestMeaning {
  flagName?: string;
  environment?: string;
  /** Said when the relay answers 404 and no flag is involved. */
  notFound?: string;
  /** Said when the relay answers 409 (e.g. the name is taken, or the version moved on). */
  conflict?: string;
}

export interface RequestOptions extends RequestMeaning {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** The version the caller read; the relay answers 409 if another write came first. */
  ifMatch?: number;
}

export interface RelayResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** The relay's application/problem+json body (RFC 9457) with field-level `errors`. */
interface Problem {
  /** The relay's stable error code, e.g. FLAG_NOT_FOUND, VERSION_CONFLICT. */
  code?: string;
  title?: string;
  detail?: string;
  status?: number;
  environment?: string;
  errors?: FieldProblem[];
}

export class RelayClient {
  readonly relayUrl: string;

  constructor(private readonly options: RelayClientOptions) {
    this.relayUrl = options.relayUrl.replace(/\/+$/, '');
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<RelayResponse<T>> {
    const url = this.urlFor(path, options.query);
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
    const response = await this.send(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    const body = parseJson(text);
    if (response.ok) {
      if (text !== '' && body === undefined) {
        throw new RelayResponseError(
          response.status,
          `the server at ${this.relayUrl} answered ${method} ${path} with something other than JSON: ` +
            'is --relay-url / SWITCHYARD_URL pointing at a Switchyard relay?',
        );
      }
      return { status: response.status, body: body as T, headers: response.headers };
    }
    throw this.errorFor(response.status, isObject(body) ? (body as Problem) : {}, method, path, options);
  }

  private urlFor(path: string, query: RequestOptions['query']): string {
    const url = new URL(this.relayUrl + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    const fetchImpl = this.options.fetchImpl ?? fetch;
    try {
      return await fetchImpl(url, { ...init, signal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (error) {
      throw new RelayUnreachableError(this.relayUrl, transportReason(error, this.options.timeoutMs));
    }
  }

  private errorFor(status: number, problem: Problem, method: string, path: string, meaning: RequestMeaning): Error {
    const detail = problem.detail ?? problem.title ?? `HTTP ${status}`;
    switch (status) {
      case 400:
      case 422:
        return new InvalidInputError(problem.errors ?? [], detail);
      case 401:
        return new AuthError(401, this.unauthorizedMessage());
      case 403:
        if (problem.code !== undefined && problem.code !== 'FORBIDDEN') return new RelayResponseError(403, detail);
        return new AuthError(
          403,
          `the relay refused this API key (403: ${detail}): use a key whose role allows it (\`switchyard keys list\` shows roles)`,
        );
      case 404:
        if (meaning.flagName && (problem.code === undefined || problem.code === 'FLAG_NOT_FOUND')) {
          return new FlagNotFoundError(meaning.flagName, meaning.environment ?? environmentIn(problem));
        }
        if (problem.code === 'ROUTE_NOT_FOUND') {
          return new NotFoundError(
            `the relay at ${this.relayUrl} has no route ${method} ${path}: is it an older relay than this CLI?`,
          );
        }
        return new NotFoundError(meaning.notFound ?? detail);
      case 409:
        return new ConflictError(meaning.conflict ?? detail);
      default:
        return new RelayResponseError(status, relayFailureMessage(status, detail, method, path));
    }
  }

  private unauthorizedMessage(): string {
    if (!this.options.apiKey) {
      return (
        'the relay wants an API key: pass --api-key or set SWITCHYARD_API_KEY ' +
        '(the first admin key is printed when the relay first starts and kept in its data directory)'
      );
    }
    return 'the relay rejected the API key (401): check --api-key / SWITCHYARD_API_KEY; the key may be revoked or mistyped';
  }
}

function relayFailureMessage(status: number, detail: string, method: string, path: string): string {
  if (status === 413)
    return `the request is larger than the relay accepts (${detail}): split it or raise the relay's body limit`;
  if (status >= 500)
    return `the relay failed on ${method} ${path} (${status}: ${detail}): check the relay's logs and retry`;
  return `the relay refused ${method} ${path} (${status}: ${detail})`;
}

/** The environment a 404 problem says it searched: a field, or `environment "x"` in the text. */
function environmentIn(problem: Problem): string | undefined {
  if (typeof problem.environment === 'string') return problem.environment;
  const match = /environment "([^"]+)"/.exec(problem.detail ?? '');
  return match?.[1];
}

function transportReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
