import { ANY_ENVIRONMENT } from '@switchyard/core';
import type { ChangesMessage, FlagChange, FlagsChangedMessage, SnapshotMessage } from '@switchyard/protocol';
import type { AppliedChange, FlagMap } from '../flags/flag-map.js';
import type { FlagExists } from '../flags/flag-environments.js';
import { flagForEnvironment } from './environment-view.js';

/**
 * Every builder takes `exists`: whether a flag exists in the environment for the stream's audience
 * (configured there; for client keys also visible to clients). Flags that do not never appear.
 */

/** Whether a change concerns an environment's audience: the flag existed for it before, or does now. */
function concerns(change: AppliedChange, environment: string, exists: FlagExists): boolean {
  return exists(change.previous, environment) || exists(change.record.flag, environment);
}

function toFlagChange(change: AppliedChange, environment: string, exists: FlagExists): FlagChange {
  const { record } = change;
  const flag =
    record.kind === 'upsert' && exists(record.flag, environment)
      ? flagForEnvironment(record.flag, environment)
      : undefined;
  return flag === undefined
    ? { kind: 'delete', revision: record.revision, flagName: record.flagName }
    : { kind: 'upsert', revision: record.revision, flag };
}

/**
 * One change per flag for replays, in revision order: the flag's latest record, with the flag as it
 * was before the first change of the window. So a flag that left the environment in the window and
 * was then changed elsewhere still reaches the client as a delete.
 */
function netChangePerFlag(changes: AppliedChange[]): AppliedChange[] {
  const net = new Map<string, AppliedChange>();
  for (const change of changes) {
    const first = net.get(change.record.flagName);
    net.delete(change.record.flagName);
    net.set(
      change.record.flagName,
      first === undefined ? change : { ...change, previous: first.previous, fromRevision: first.fromRevision },
    );
  }
  return [...net.values()];
}

export function changesMessage(
  environment: string,
  revision: number,
  changes: AppliedChange[],
  exists: FlagExists,
  options: { compact?: boolean } = {},
): ChangesMessage {
  const relevant = (options.compact ? netChangePerFlag(changes) : changes).filter((c) =>
    concerns(c, environment, exists),
  );
  return { type: 'changes', environment, revision, changes: relevant.map((c) => toFlagChange(c, environment, exists)) };
}

export function flagsChangedMessage(
  environment: string,
  revision: number,
  changes: AppliedChange[],
  exists: FlagExists,
): FlagsChangedMessage {
  const names = new Set<string>();
  for (const change of changes) if (concerns(change, environment, exists)) names.add(change.record.flagName);
  return { type: 'flags-changed', environment, revision, flagNames: [...names] };
}

export function snapshotMessage(flagMap: FlagMap, environment: string, exists: FlagExists): SnapshotMessage {
  const flags = [];
  for (const stored of flagMap.all()) {
    const flag = exists(stored, environment) ? flagForEnvironment(stored, environment) : undefined;
    if (flag !== undefined) flags.push(flag);
  }
  return { type: 'snapshot', environment, revision: flagMap.revision, flags };
}

/** `flags-changed` naming every flag of the environment: "re-fetch everything". */
export function allFlagsChangedMessage(flagMap: FlagMap, environment: string, exists: FlagExists): FlagsChangedMessage {
  const flagNames = [];
  for (const stored of flagMap.all()) if (exists(stored, environment)) flagNames.push(stored.name);
  return { type: 'flags-changed', environment, revision: flagMap.revision, flagNames, all: true };
}

/** For management streams: every flag these changes touched, in any environment (`environment` is `*`). */
export function anyFlagsChangedMessage(revision: number, changes: AppliedChange[]): FlagsChangedMessage {
  const names = new Set(changes.map((change) => change.record.flagName));
  return { type: 'flags-changed', environment: ANY_ENVIRONMENT, revision, flagNames: [...names] };
}

/** For management streams: "re-fetch everything", naming every flag. */
export function everyFlagChangedMessage(flagMap: FlagMap): FlagsChangedMessage {
  const flagNames = [];
  for (const stored of flagMap.all()) flagNames.push(stored.name);
  return { type: 'flags-changed', environment: ANY_ENVIRONMENT, revision: flagMap.revision, flagNames, all: true };
}
