import type { Request } from 'express';
import { invalidInput, payloadTooLarge, unsupportedMediaType, type FieldProblem } from './http-errors.js';
import {
  BodyIncompleteError,
  BodyNotJsonError,
  BodyTooLargeError,
  hasBody,
  isJsonMediaType,
  readJsonBody,
} from './request-body.js';

export interface JsonBodyLimits {
  maxBodyBytes: number;
  /** Deepest nesting of objects and arrays accepted anywhere in a body. */
  maxJsonDepth: number;
  /** The setting that configures maxBodyBytes, named in the 413 (default SWITCHYARD_MAX_BODY_BYTES). */
  bodyLimitSetting?: string;
}

const UTF8_CHARSET = /^"?utf-?8"?$/i;
const MAX_REPORTED_PROBLEMS = 20;

/**
 * Reads a JSON body: 415 unless it is uncompressed UTF-8 `application/json` (or `+json`), 413 over
 * the size limit, 400 when it does not parse or arrives incomplete, nests too deeply, or holds a key
 * a database would take for an operator (`$gt`), or `__proto__`. A request without a body gets
 * `undefined`. Resolves when `req.body` is set, rejects with the problem.
 */
export function jsonBody(limits: JsonBodyLimits): (req: Request) => Promise<void> | undefined {
  return (req) => {
    if (!hasBody(req)) {
      req.body = undefined;
      return undefined;
    }
    const typeProblem = contentTypeProblem(req);
    if (typeProblem !== undefined) return Promise.reject(typeProblem);
    return readJsonBody(req, limits.maxBodyBytes).then(
      (body) => {
        const problems = unsafeJson(body, limits.maxJsonDepth);
        if (problems.length > 0) throw invalidInput(problems);
        req.body = body;
      },
      (error: unknown) => {
        throw bodyProblem(error, limits);
      },
    );
  };
}

function bodyProblem(error: unknown, limits: JsonBodyLimits): unknown {
  if (error instanceof BodyTooLargeError) return payloadTooLarge(error.limit, limits.bodyLimitSetting);
  if (error instanceof BodyNotJsonError) {
    return invalidInput(
      [{ path: '', expected: 'a JSON document', message: error.message }],
      'the body is not valid JSON',
    );
  }
  if (error instanceof BodyIncompleteError) {
    return invalidInput([{ path: '', expected: 'a complete body', message: error.message }]);
  }
  return error;
}

function contentTypeProblem(req: Request): Error | undefined {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity')
    return unsupportedMediaType(`send the body uncompressed (no Content-Encoding), not ${encoding}`);
  const [type = '', ...parameters] = (req.headers['content-type'] ?? '').split(';');
  const named = type.trim();
  if (!isJsonMediaType(named)) {
    return unsupportedMediaType(
      `send the body as application/json, not ${named === '' ? 'without a Content-Type' : named}`,
    );
  }
  const charset = parameters
    .map((parameter) => parameter.trim().split('='))
    .find(([name]) => name?.toLowerCase() === 'charset')?.[1];
  if (charset !== undefined && !UTF8_CHARSET.test(charset)) {
    return unsupportedMediaType(`send the body as UTF-8 JSON (charset=utf-8), not charset=${charset}`);
  }
  return undefined;
}

/** Problems with keys and depth, found without recursion so no input can overflow the stack. */
function unsafeJson(root: unknown, maxDepth: number): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0 && problems.length < MAX_REPORTED_PROBLEMS) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) {
      problems.push({
        path,
        expected: `at most ${maxDepth} levels of nesting`,
        message: `nested deeper than ${maxDepth} levels`,
      });
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, path: `${path}[${index}]`, depth: depth + 1 }));
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      const problem = keyProblem(key);
      if (problem !== undefined) problems.push({ path: childPath, ...problem });
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return problems;
}

function keyProblem(key: string): Omit<FieldProblem, 'path'> | undefined {
  if (key.startsWith('$')) {
    return {
      expected: 'a key that does not start with "$"',
      message: `"${key}" looks like a database operator and is not accepted`,
    };
  }
  if (key === '__proto__')
    return { expected: 'a key other than "__proto__"', message: '"__proto__" is not accepted as a key' };
  return undefined;
}
