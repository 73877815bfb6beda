import { BUCKET_COUNT, bucketUnits } from './bucketing.js';
import type { CompiledEnvironment } from './compile-flag.js';
import { bucketKeyOf } from './context-attribute.js';
import type { EvaluationContext, EvaluationResult } from './model.js';
import { slotName, TARGETING_KEY_SLOT } from './prepared-context.js';

/** One flag's configuration for one environment as a generated function of the context. */
export type GeneratedEvaluator = (context: EvaluationContext) => EvaluationResult;

/**
 * Generates, with `new Function`, a function that evaluates `env` exactly as evaluateEnvironment
 * does (rules in order, a rule skipped for want of a bucketing key, the same shared results), with
 * the rules unrolled and each attribute read by a property access of its own. Each generated
 * function has its own call sites, so the engine sees one shape of context and one condition
 * test at each and can inline them. Only with EnvironmentFlags' `codegen` option: a page whose
 * Content-Security-Policy forbids `unsafe-eval` makes `new Function` throw, and then the caller
 * keeps the interpreter (undefined is returned).
 */
export function generateEvaluator(env: CompiledEnvironment): GeneratedEvaluator | undefined {
  const constants: unknown[] = [];
  const constant = (value: unknown): string => {
    constants.push(value);
    return `c[${constants.length - 1}]`;
  };
  const bucketKey = constant(bucketKeyOf);
  const units = constant(bucketUnits);
  const read = (slot: number): string => {
    const name = slotName(slot);
    const own = `ctx[${JSON.stringify(name)}]`;
    if (name === 'targetingKey') return `((v = ${own}) !== undefined && v !== null ? v : ctx["userId"])`;
    if (name === 'userId') return `((v = ${own}) !== undefined && v !== null ? v : ctx["targetingKey"])`;
    return own;
  };
  const serve = (served: CompiledEnvironment['fallthrough'] & object, slot: number): string =>
    served.fixed !== undefined
      ? `return ${constant(served.fixed)};`
      : `k = ${bucketKey}(${read(slot)}); if (k !== undefined) return ${constant(served)}.pick(k); km = true;`;

  const lines: string[] = [];
  if (!env.enabled) lines.push(`return ${constant(env.offResult)};`);
  else {
    for (const rule of env.rules) {
      const served = serve(rule.served, rule.bucketSlot);
      if (rule.userIds !== undefined) {
        lines.push(
          `k = ${bucketKey}(${read(TARGETING_KEY_SLOT)}); if (k === undefined) km = true; else if (${constant(rule.userIds)}.has(k)) { ${served} }`,
        );
        continue;
      }
      const tests = rule.conditions.map((condition) => `${constant(condition.test)}(${read(condition.slot)})`);
      const matched = tests.length === 0 ? 'true' : tests.join(rule.matchAny ? ' || ' : ' && ');
      let inRollout = served;
      // A rule that serves nobody still reads its conditions' attributes, as the interpreter does.
      if (rule.threshold <= 0) inRollout = '';
      else if (rule.threshold < BUCKET_COUNT) {
        inRollout = `k = ${bucketKey}(${read(rule.bucketSlot)}); if (k === undefined) km = true; else if (${units}(${constant(rule)}, k) < ${rule.threshold}) { ${served} }`;
      }
      lines.push(`if (${matched}) { ${inRollout} }`);
    }
    lines.push(`if (km) return ${constant(env.keyMissingResult)};`);
    const fallthrough = env.fallthrough;
    if (fallthrough === undefined) lines.push(`return ${constant(env.offResult)};`);
    else if (fallthrough.fixed !== undefined) lines.push(`return ${constant(fallthrough.fixed)};`);
    else
      lines.push(
        `k = ${bucketKey}(${read(env.fallthroughSlot)}); return k === undefined ? ${constant(env.keyMissingResult)} : ${constant(fallthrough)}.pick(k);`,
      );
  }
  const body = `"use strict"; return function evaluate(ctx) { var v, k, km = false; ${lines.join('\n')} };`;
  try {
    // `new Function` is the point of this module: the opt-in code generation itself.
    return new Function('c', body)(constants) as GeneratedEvaluator;
  } catch {
    return undefined;
  }
}
