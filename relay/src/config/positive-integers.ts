/**
 * Reads each setting from its environment variable as a positive whole number; unset or empty keeps
 * the default. The slices (stream, sync, usage, OFREP) describe their settings as such a map.
 */
export function readPositiveIntegers<K extends string>(
  environment: NodeJS.ProcessEnv,
  variables: Readonly<Record<K, string>>,
  defaults: Readonly<Record<K, number>>,
): Record<K, number> {
  const settings: Record<K, number> = { ...defaults };
  for (const [key, variable] of Object.entries(variables) as [K, string][]) {
    const text = environment[variable];
    if (text === undefined || text === '') continue;
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new Error(`${variable} must be a positive integer, not "${text}"`);
    settings[key] = value;
  }
  return settings;
}
