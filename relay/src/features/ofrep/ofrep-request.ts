import type { EvaluationContext } from '@switchyard/core';
import type { OfrepFailureCode } from './ofrep-payloads.js';

/** A request OFREP answers with 400 and its failure shape. */
export class OfrepRequestError extends Error {
  constructor(
    readonly errorCode: OfrepFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'OfrepRequestError';
  }
}

const BODY_SHAPE = 'a JSON object such as { "context": { "targetingKey": "user-1" } }';

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/**
 * The evaluation context of an OFREP request body (`{ context: { targetingKey?, ...attributes } }`).
 * A missing `targetingKey` is allowed: anonymous pages have none, and only percentage rules need it
 * (the engine then answers TARGETING_KEY_MISSING for those flags alone).
 */
export function readContext(body: unknown): EvaluationContext {
  if (body === undefined) throw new OfrepRequestError('PARSE_ERROR', `the request has no body: send ${BODY_SHAPE}`);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OfrepRequestError('PARSE_ERROR', `the body is ${jsonKind(body)}, not a JSON object: send ${BODY_SHAPE}`);
  }
  const context = (body as { context?: unknown }).context;
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    throw new OfrepRequestError('INVALID_CONTEXT', 'context is required and must be an object');
  }
  const targetingKey = (context as { targetingKey?: unknown }).targetingKey;
  if (targetingKey !== undefined && typeof targetingKey !== 'string') {
    throw new OfrepRequestError('INVALID_CONTEXT', 'context.targetingKey must be a string');
  }
  return context as EvaluationContext;
}
