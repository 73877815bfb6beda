import { evaluateFlag, type EvaluationContext, type EvaluationResult } from '@switchyard/core';
import type { EvaluateResult } from '@switchyard/protocol';
import type { Logger } from '../../logging/logger.js';
import type { FlagMap } from '../flags/flag-map.js';
import type { Audience, FlagVisibility } from '../flags/flag-environments.js';
import type { RelayMetrics } from '../ops/relay-metrics.js';

/**
 * Told of every evaluation the REST API served for named flags (usage analytics counts them). An
 * "evaluate every flag" request is not: fetching all values is not using every flag, and counting
 * it would hide unused flags from the stale-flag report (OFREP bulk fetches are treated the same).
 */
export type EvaluationListener = (environment: string, result: EvaluationResult, context: EvaluationContext) => void;

/**
 * Evaluations from the in-memory flag map: no store access, no allocation beyond the answer.
 * A flag exists in an environment when it is configured there (by name or `*`) and, for a client
 * key, visible to clients; otherwise it is "not found in environment X", as on OFREP and the stream.
 */
export class EvaluateService {
  private readonly listeners: EvaluationListener[] = [];

  constructor(
    private readonly flagMap: FlagMap,
    private readonly visibility: FlagVisibility,
    private readonly metrics: RelayMetrics,
    private readonly logger: Logger,
  ) {}

  onEvaluated(listener: EvaluationListener): void {
    this.listeners.push(listener);
  }

  /** One flag's result; undefined when the flag is not found in the environment (for the audience). */
  evaluateOne(
    flagName: string,
    environment: string,
    context: EvaluationContext,
    audience: Audience,
  ): EvaluateResult | undefined {
    const flag = this.flagMap.get(flagName);
    if (!this.visibility.existsFor(audience)(flag, environment)) return undefined;
    return this.answer(evaluateFlag(flag, flagName, environment, context), environment, context);
  }

  /** The named flags (a missing one answers FLAG_NOT_FOUND), or every flag of the environment, by name. */
  evaluateMany(
    flagNames: readonly string[] | undefined,
    environment: string,
    context: EvaluationContext,
    audience: Audience,
  ): Record<string, EvaluateResult> {
    // No prototype: any requested name ("__proto__" too) is an ordinary key of the answer.
    const results: Record<string, EvaluateResult> = Object.create(null) as Record<string, EvaluateResult>;
    if (flagNames === undefined) {
      for (const result of this.flagMap
        .environmentFlags(environment, this.visibility.existsFor(audience))
        .evaluateAll(context)) {
        results[result.flagName] = this.answer(result, environment, context, false);
      }
      return results;
    }
    for (const name of flagNames) {
      results[name] = this.evaluateOne(name, environment, context, audience) ?? this.notFound(name, environment);
    }
    return results;
  }

  /** The result for a flag the environment does not have; counted as an evaluation error. */
  notFound(flagName: string, environment: string): EvaluateResult {
    this.metrics.evaluationErrors.inc({ code: 'FLAG_NOT_FOUND' });
    return {
      flagName,
      value: null,
      enabled: false,
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
      errorMessage: `flag "${flagName}" was not found in environment "${environment}"`,
    };
  }

  private answer(
    result: EvaluationResult,
    environment: string,
    context: EvaluationContext,
    told = true,
  ): EvaluateResult {
    this.metrics.evaluations.inc({ environment, reason: result.reason });
    if (result.errorCode !== undefined) this.metrics.evaluationErrors.inc({ code: result.errorCode });
    if (this.logger.isLevelEnabled('debug')) this.explain(result, environment, context);
    if (told) for (const listener of this.listeners) listener(environment, result, context);
    const answer: EvaluateResult = {
      flagName: result.flagName,
      value: result.value ?? null,
      enabled: result.enabled,
      reason: result.reason,
    };
    if (result.variant !== undefined) answer.variant = result.variant;
    if (result.errorCode !== undefined) answer.errorCode = result.errorCode;
    if (result.errorMessage !== undefined) answer.errorMessage = result.errorMessage;
    return answer;
  }

  /** SWITCHYARD_LOG_LEVEL=debug: why this evaluation came out as it did. */
  private explain(result: EvaluationResult, environment: string, context: EvaluationContext): void {
    this.logger.debug(
      {
        flagName: result.flagName,
        environment,
        targetingKey: context.targetingKey,
        reason: result.reason,
        variant: result.variant,
        enabled: result.enabled,
        ruleIndex: result.ruleIndex,
        ruleName: result.ruleName,
        errorCode: result.errorCode,
        errorMessage: result.errorMessage,
        why: whyText(result),
      },
      'flag evaluated',
    );
  }
}

function whyText(result: EvaluationResult): string {
  switch (result.reason) {
    case 'DISABLED':
      return 'the flag is off in this environment';
    case 'TARGETING_MATCH':
    case 'SPLIT':
      return result.ruleIndex === undefined
        ? 'no rule served the user; the fallthrough served them'
        : `rule ${result.ruleIndex}${result.ruleName ? ` ("${result.ruleName}")` : ''} served the user`;
    case 'DEFAULT':
      return 'no rule served the user; the fallthrough serves the off value';
    case 'STATIC':
      return 'the configuration serves everyone the same value';
    default:
      return result.errorMessage ?? 'the evaluation failed';
  }
}
