import { readFile } from 'node:fs/promises';
import { STRUCTURAL_FLAG_LIMITS, validateFlag, type Flag } from '@switchyard/core';

/**
 * A snapshot of one environment's flags the provider can start from when the relay cannot be
 * reached: the `snapshot` message of the stream, or what `provider.exportSnapshot()` returns.
 */
export interface BootstrapSnapshot {
  environment: string;
  flags: Flag[];
  revision?: number;
}

/** The snapshot itself, or the path of a JSON file holding one. */
export type BootstrapSource = BootstrapSnapshot | string;

/** The bootstrap snapshot could not be read or is not a snapshot; the message says where. */
export class BootstrapError extends Error {
  readonly code = 'SWITCHYARD_BOOTSTRAP_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BootstrapError';
  }
}

export async function loadBootstrap(source: BootstrapSource): Promise<BootstrapSnapshot> {
  if (typeof source !== 'string') return checkSnapshot(source, 'bootstrap');
  let text: string;
  try {
    text = await readFile(source, 'utf8');
  } catch (error) {
    throw new BootstrapError(`cannot read bootstrap file ${source}: ${String(error)}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BootstrapError(`bootstrap file ${source} is not JSON: ${String(error)}`, { cause: error });
  }
  return checkSnapshot(parsed, source);
}

function checkSnapshot(value: unknown, where: string): BootstrapSnapshot {
  if (typeof value !== 'object' || value === null) {
    throw new BootstrapError(`${where}: expected an object with environment and flags`);
  }
  const { environment, flags, revision } = value as Record<string, unknown>;
  if (typeof environment !== 'string' || environment === '') {
    throw new BootstrapError(`${where}.environment: expected the environment's name`);
  }
  if (!Array.isArray(flags)) {
    throw new BootstrapError(`${where}.flags: expected an array of flags`);
  }
  const valid = flags.map((flag: unknown, index) => {
    // Flags a relay exported: it enforced its own (possibly raised) size limits.
    const validation = validateFlag(flag, { limits: STRUCTURAL_FLAG_LIMITS });
    if (validation.ok) return validation.flag;
    const problem = validation.problems[0];
    const path = problem?.path ? `.${problem.path}` : '';
    throw new BootstrapError(`${where}.flags[${index}]${path}: ${problem?.message ?? 'not a valid flag'}`);
  });
  return {
    environment,
    flags: valid,
    ...(typeof revision === 'number' ? { revision } : {}),
  };
}
