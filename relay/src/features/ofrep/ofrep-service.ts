import type { EnvironmentFlags, EvaluationContext, EvaluationResult, Flag } from '@switchyard/core';
import type { StoredFlag } from '../../store/store.js';
import type { Audience, FlagExists, FlagVisibility } from '../flags/flag-environments.js';
import { toBulkItem, toSingleAnswer, type OfrepItem, type SingleAnswer } from './ofrep-answers.js';

/** The flags evaluations read: the relay's one in-memory FlagMap. */
export interface OfrepFlagSource {
  /** False until the first load from the store (answering then would claim there are no flags); absent: always loaded. */
  readonly loaded?: boolean;
  get(name: string): StoredFlag | undefined;
  /** The flags that `exists` admits in the environment, compiled for bulk evaluation (FlagMap.environmentFlags). */
  environmentFlags(environment: string, exists: FlagExists): EnvironmentFlags;
}

/** The engine's `evaluateFlag`. */
export type EvaluateFlag = (
  flag: Flag | undefined,
  flagName: string,
  environment: string,
  context: EvaluationContext,
) => EvaluationResult;

/** Told of every evaluation OFREP served for a flag the environment has (analytics counts them). */
export type EvaluationListener = (environment: string, result: EvaluationResult, context: EvaluationContext) => void;

/**
 * OFREP evaluations for one environment. A flag exists in an environment when it is configured
 * for it (by name or `*`) and, for a client key, visible to clients, as on the stream; other flags
 * are not found, and their names never reach the environment's clients.
 */
export class OfrepService {
  constructor(
    private readonly flags: OfrepFlagSource,
    private readonly visibility: FlagVisibility,
    private readonly evaluate: EvaluateFlag,
    private readonly onEvaluated?: EvaluationListener,
  ) {}

  get ready(): boolean {
    return this.flags.loaded !== false;
  }

  evaluateOne(environment: string, flagName: string, context: EvaluationContext, audience: Audience): SingleAnswer {
    const stored = this.flags.get(flagName);
    const flag = this.visibility.existsFor(audience)(stored, environment) ? stored : undefined;
    const result = this.evaluate(flag, flagName, environment, context);
    // Usage is kept per flag name: a flag the environment lacks is not counted (any name can be asked for).
    if (flag !== undefined) this.onEvaluated?.(environment, result, context);
    return toSingleAnswer(result, flag);
  }

  /** Every flag of the environment for one context, sorted by name so equal answers serialize equally. */
  evaluateAll(environment: string, context: EvaluationContext, audience: Audience): OfrepItem[] {
    const set = this.flags.environmentFlags(environment, this.visibility.existsFor(audience));
    return set.evaluateAll(context).map((result, index) => toBulkItem(result, set.flags[index]));
  }
}
