import { compiledEnvironment, compileFlag, type CompiledEnvironment, type CompiledFlag } from './compile-flag.js';
import { contextOrEmpty, flagNotFound, invalidContext, parseError } from './evaluate-flag.js';
import { FlagProgram } from './flag-program.js';
import { generateEvaluator, type GeneratedEvaluator } from './generate-evaluator.js';
import type { EvaluationContext, EvaluationResult, Flag, JsonValue } from './model.js';
import { acquirePreparedContext, releasePreparedContext, type PreparedContext } from './prepared-context.js';

export interface EnvironmentFlagsOptions {
  /**
   * Generate a function per flag with `new Function` for single-flag `evaluate` (faster; same
   * answers). Off by default: a browser page's Content-Security-Policy may forbid it (without
   * `unsafe-eval`, generation fails and the interpreter is used).
   */
  codegen?: boolean;
}

/**
 * The flags of one environment, compiled and laid out for evaluating many of them for one context:
 * the environment is resolved once (here, not per evaluation), the flags' compiled configurations
 * sit in one array in name order, and a bulk evaluation reads each context attribute (and hashes
 * nothing twice for the same bucketing key's reading) once for all flags.
 *
 * Build one per environment and flag set, and build a new one when the flags change (compiling is
 * cached per flag object, so rebuilding after one change recompiles that flag only). Results are
 * the same as `evaluateFlag`'s for each flag, frozen and shared: do not modify them.
 */
export class EnvironmentFlags {
  /** Every flag, sorted by name (by UTF-16 code units), in the order evaluateAll answers. */
  readonly flags: readonly Flag[];
  /** Their names, in the same order. */
  readonly names: readonly string[];
  private readonly compiled: (CompiledFlag | undefined)[];
  /** Every flag that compiled, laid out in one program; flag i is `programIndex[i]` there (-1: did not compile). */
  private readonly program: FlagProgram;
  private readonly programIndex: Int32Array;
  /** For flags that do not compile: their PARSE_ERROR result. */
  private readonly invalid: (EvaluationResult | undefined)[];
  private readonly indexByName = new Map<string, number>();
  /** With the `codegen` option: per flag, its generated evaluator (undefined where generation failed). */
  private readonly generated: (GeneratedEvaluator | undefined)[] | undefined;

  constructor(
    flags: Iterable<Flag>,
    readonly environment: string,
    options: EnvironmentFlagsOptions = {},
  ) {
    const sorted = [...flags].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.flags = sorted;
    this.names = sorted.map((flag) => flag.name);
    this.compiled = [];
    this.invalid = [];
    this.programIndex = new Int32Array(sorted.length);
    const environments: (CompiledEnvironment | undefined)[] = [];
    const valid: CompiledEnvironment[] = [];
    sorted.forEach((flag, index) => {
      this.indexByName.set(flag.name, index);
      try {
        const compiled = compileFlag(flag);
        const env = compiledEnvironment(compiled, environment);
        this.compiled.push(compiled);
        environments.push(env);
        this.invalid.push(undefined);
        this.programIndex[index] = valid.length;
        valid.push(env);
      } catch (error) {
        this.compiled.push(undefined);
        environments.push(undefined);
        this.invalid.push(parseError(flag.name, error));
        this.programIndex[index] = -1;
      }
    });
    this.program = new FlagProgram(valid);
    this.generated =
      options.codegen === true
        ? environments.map((env) => (env === undefined ? undefined : generateEvaluator(env)))
        : undefined;
  }

  get size(): number {
    return this.names.length;
  }

  has(flagName: string): boolean {
    return this.indexByName.has(flagName);
  }

  /** One flag's result, as evaluateFlag gives it; FLAG_NOT_FOUND for a name this set lacks. */
  evaluate(flagName: string, context: EvaluationContext): EvaluationResult {
    const index = this.indexByName.get(flagName);
    if (index === undefined) return flagNotFound(flagName);
    const generated = this.generated?.[index];
    if (generated !== undefined) {
      try {
        return generated(contextOrEmpty(context));
      } catch (error) {
        return invalidContext(this.compiled[index]!, error);
      }
    }
    const prepared = acquirePreparedContext(contextOrEmpty(context), false);
    try {
      return this.resultAt(index, prepared);
    } finally {
      releasePreparedContext(prepared);
    }
  }

  /**
   * Every flag's result for one context, in `names` order: what evaluating each flag alone gives,
   * with each context attribute read once. Written into `into` when given (reuse it: no allocation
   * per call); the results in it are shared.
   */
  evaluateAll(context: EvaluationContext, into: EvaluationResult[] = new Array(this.names.length)): EvaluationResult[] {
    const prepared = acquirePreparedContext(contextOrEmpty(context), true);
    try {
      for (let i = 0; i < this.programIndex.length; i++) into[i] = this.resultAt(i, prepared);
    } finally {
      releasePreparedContext(prepared);
    }
    return into;
  }

  /**
   * Every flag's value for one context, in `names` order (undefined: no value, the caller's
   * default applies); written into `into` when given.
   */
  valuesAll(
    context: EvaluationContext,
    into: (JsonValue | undefined)[] = new Array(this.names.length),
  ): (JsonValue | undefined)[] {
    const prepared = acquirePreparedContext(contextOrEmpty(context), true);
    try {
      for (let i = 0; i < this.programIndex.length; i++) into[i] = this.resultAt(i, prepared).value;
    } finally {
      releasePreparedContext(prepared);
    }
    return into;
  }

  private resultAt(index: number, prepared: PreparedContext): EvaluationResult {
    const flag = this.programIndex[index]!;
    if (flag < 0) return this.invalid[index]!;
    try {
      return this.program.evaluate(flag, prepared);
    } catch (error) {
      return invalidContext(this.compiled[index]!, error);
    }
  }
}
