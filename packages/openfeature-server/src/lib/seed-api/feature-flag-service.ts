import type { Client, EvaluationDetails, FlagValue, JsonValue } from '@openfeature/server-sdk';
import { OpenFeature } from '@openfeature/server-sdk';
import { toEvaluationContext } from '@switchyard/core';
import type { ErrorCode, FlagValueType, UserContext } from '@switchyard/core';

/** The seed's FlagEvaluation, camelCased: what `evaluateFeatureFlag` returns. */
export interface FeatureEvaluation {
  flagName: string;
  /** Whether the flag is on for this user (a rule or the fallthrough served them). */
  enabled: boolean;
  /** The served value; undefined when nothing was served (off without an off value, or an error). */
  value: JsonValue | undefined;
  variant?: string;
  reason?: string;
  errorCode?: ErrorCode | string;
  errorMessage?: string;
}

/** Tells which typed OpenFeature call to make for a flag; `undefined` means "not known here". */
export type FlagTypeLookup = (flagName: string) => FlagValueType | undefined;

export interface FeatureFlagServiceOptions {
  /** Default: `OpenFeature.getClient()`. */
  client?: Client;
  /**
   * Default: asks the client's provider, when it is a SwitchyardProvider (a local lookup, no I/O).
   * Flags of unknown type are evaluated as booleans.
   */
  flagType?: FlagTypeLookup;
}

/**
 * The seed's feature-flag service (`is_feature_enabled`, `get_feature_variant`, …) on top of an
 * OpenFeature client: hooks, events and tracking all go through OpenFeature, and the provider can
 * be any OpenFeature provider.
 */
export class FeatureFlagService {
  private readonly client: Client;
  private readonly flagType: FlagTypeLookup;

  constructor(options: FeatureFlagServiceOptions = {}) {
    this.client = options.client ?? OpenFeature.getClient();
    this.flagType = options.flagType ?? providerFlagType(this.client);
  }

  async isFeatureEnabled(flagName: string, userContext: UserContext = {}): Promise<boolean> {
    return (await this.evaluateFeatureFlag(flagName, userContext)).enabled;
  }

  /** The served value when the flag is on for the user, else undefined (the seed's None). */
  async getFeatureVariant(flagName: string, userContext: UserContext = {}): Promise<JsonValue | undefined> {
    const evaluation = await this.evaluateFeatureFlag(flagName, userContext);
    return evaluation.enabled ? evaluation.value : undefined;
  }

  async evaluateFeatureFlag(flagName: string, userContext: UserContext = {}): Promise<FeatureEvaluation> {
    const context = toEvaluationContext(userContext);
    const type = this.flagType(flagName) ?? 'boolean';
    const details = await this.evaluate(flagName, type, context);
    return toFeatureEvaluation(details);
  }

  /** The seed's `track_feature_usage`: an OpenFeature tracking event named after the outcome. */
  trackFeatureUsage(flagName: string, userId: string, outcome: string, metadata: Record<string, JsonValue> = {}): void {
    this.client.track(outcome, { targetingKey: userId }, { ...metadata, flagName });
  }

  private evaluate(
    flagName: string,
    type: FlagValueType,
    context: ReturnType<typeof toEvaluationContext>,
  ): Promise<EvaluationDetails<FlagValue>> {
    const ofContext = context as Parameters<Client['getBooleanDetails']>[2];
    switch (type) {
      case 'string':
        return this.client.getStringDetails(flagName, '', ofContext);
      case 'number':
        return this.client.getNumberDetails(flagName, 0, ofContext);
      case 'object':
        return this.client.getObjectDetails(flagName, null, ofContext);
      default:
        return this.client.getBooleanDetails(flagName, false, ofContext);
    }
  }
}

function toFeatureEvaluation(details: EvaluationDetails<FlagValue>): FeatureEvaluation {
  const failed = details.errorCode !== undefined;
  const metadataEnabled = details.flagMetadata.enabled;
  // Other providers do not report `enabled`: a boolean's value is the best answer there.
  const enabled = !failed && (typeof metadataEnabled === 'boolean' ? metadataEnabled : details.value === true);
  const evaluation: FeatureEvaluation = {
    flagName: details.flagKey,
    enabled,
    value: failed ? undefined : (details.value as JsonValue),
  };
  if (details.variant !== undefined) evaluation.variant = details.variant;
  if (details.reason !== undefined) evaluation.reason = details.reason;
  if (details.errorCode !== undefined) evaluation.errorCode = details.errorCode;
  if (details.errorMessage !== undefined) evaluation.errorMessage = details.errorMessage;
  return evaluation;
}

function providerFlagType(client: Client): FlagTypeLookup {
  return (flagName) => {
    const provider = OpenFeature.getProvider(client.metadata.domain) as { flagType?: FlagTypeLookup };
    return typeof provider.flagType === 'function' ? provider.flagType(flagName) : undefined;
  };
}

/** The seed's `get_feature_flag_service()`: a service over the OpenFeature client of `domain`. */
export function getFeatureFlagService(domain?: string): FeatureFlagService {
  return new FeatureFlagService({
    client: domain === undefined ? OpenFeature.getClient() : OpenFeature.getClient(domain),
  });
}
