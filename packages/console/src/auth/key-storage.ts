/**
 * Where the signed-in API key lives: sessionStorage only (gone when the tab closes), never a URL,
 * a cookie, localStorage or a log line.
 */
const STORAGE_KEY = 'switchyard.console.apiKey';

export function storedKey(): string | undefined {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function storeKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
