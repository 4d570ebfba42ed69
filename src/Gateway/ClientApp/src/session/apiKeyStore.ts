// The key lives in sessionStorage: it survives a reload but not closing the tab, and is never in a URL.
const STORAGE_KEY = 'gstd.apiKey';

export function loadApiKey(storage: Storage = sessionStorage): string | null {
  try {
    const key = storage.getItem(STORAGE_KEY);
    return key === null || key === '' ? null : key;
  } catch {
    // Storage can be switched off; then the user signs in again after a reload.
    return null;
  }
}

export function saveApiKey(key: string, storage: Storage = sessionStorage): void {
  try {
    storage.setItem(STORAGE_KEY, key);
  } catch {
    // As above: the session still works until the page is reloaded.
  }
}

/** Signing out forgets everything the tab stored, not only the key. */
export function clearSession(storage: Storage = sessionStorage): void {
  try {
    storage.clear();
  } catch {
    // Nothing was stored.
  }
}
