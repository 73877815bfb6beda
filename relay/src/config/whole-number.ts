import { ConfigError } from './config-error.js';

/** A parser of whole numbers from `min` to `max`; anything else stops the relay naming the setting. */
export function wholeNumber(min: number, max: number) {
  return (text: string, source: string): number => {
    const value = Number(text.trim());
    if (text.trim() === '' || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new ConfigError(source, `${source} must be a whole number from ${min} to ${max}, not "${text}"`);
    }
    return value;
  };
}
