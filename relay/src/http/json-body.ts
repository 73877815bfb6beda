import express, { type Request, type Response } from 'express';
import { invalidInput, unsupportedMediaType, type FieldProblem } from './http-errors.js';

export interface JsonBodyLimits {
  maxBodyBytes: number;
  /** Deepest nesting of objects and arrays accepted anywhere in a body. */
  maxJsonDepth: number;
}

const JSON_TYPE = /^application\/([\w.+-]+\+)?json$/i;
const MAX_REPORTED_PROBLEMS = 20;

/**
 * Reads a JSON body: 415 unless it is uncompressed `application/json` (or `+json`), 413 over the size limit,
 * 400 when it does not parse, nests too deeply, or holds a key a database would take for an
 * operator (`$gt`) or a path (`a.b`), or `__proto__`. A request without a body gets `undefined`.
 * One step per request (not three Express layers): resolves when `req.body` is set, rejects with the problem.
 */
export function jsonBody(limits: JsonBodyLimits): (req: Request, res: Response) => Promise<void> | undefined {
  const parse = express.json({ limit: limits.maxBodyBytes, strict: false, type: () => true });
  return (req, res) => {
    if (!hasBody(req)) {
      req.body = undefined;
      return undefined;
    }
    const typeProblem = contentTypeProblem(req);
    if (typeProblem !== undefined) return Promise.reject(typeProblem);
    return new Promise<void>((resolve, reject) => {
      parse(req, res, (error?: unknown) => {
        if (error !== undefined && error !== null) {
          reject(error);
          return;
        }
        const problems = unsafeJson(req.body, limits.maxJsonDepth);
        if (problems.length > 0) reject(invalidInput(problems));
        else resolve();
      });
    });
  };
}

function contentTypeProblem(req: Request): Error | undefined {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') return unsupportedMediaType(`send the body uncompressed (no Content-Encoding), not ${encoding}`);
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (!JSON_TYPE.test(type)) {
    return unsupportedMediaType(`send the body as application/json, not ${type === '' ? 'without a Content-Type' : type}`);
  }
  return undefined;
}

function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

/** Problems with keys and depth, found without recursion so no input can overflow the stack. */
export function unsafeJson(root: unknown, maxDepth: number): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0 && problems.length < MAX_REPORTED_PROBLEMS) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) {
      problems.push({ path, expected: `at most ${maxDepth} levels of nesting`, message: `nested deeper than ${maxDepth} levels` });
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
    return { expected: 'a key that does not start with "$"', message: `"${key}" looks like a database operator and is not accepted` };
  }
  if (key === '__proto__') return { expected: 'a key other than "__proto__"', message: '"__proto__" is not accepted as a key' };
  return undefined;
}
