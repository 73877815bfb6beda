/** The experiment endpoint compares variants; this flag has fewer than two. */
export class ExperimentNeedsVariantsError extends Error {
  readonly code = 'EXPERIMENT_NEEDS_VARIANTS';
  readonly status = 422;
  constructor(readonly flagName: string) {
    super(`flag "${flagName}" has fewer than two variants: there is nothing to compare`);
    this.name = 'ExperimentNeedsVariantsError';
  }
}

/** `control` names no variant of the flag. */
export class UnknownControlVariantError extends Error {
  readonly code = 'UNKNOWN_CONTROL_VARIANT';
  readonly status = 400;
  constructor(
    readonly flagName: string,
    readonly control: string,
    readonly variants: string[],
  ) {
    super(`flag "${flagName}" has no variant "${control}"; its variants are ${variants.join(', ')}`);
    this.name = 'UnknownControlVariantError';
  }
}
