import { describe, expect, it } from 'vitest';
import { clearSession, loadApiKey, saveApiKey } from './apiKeyStore';

class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe('apiKeyStore', () => {
  it('keeps the key until the session is cleared, and clears everything else too', () => {
    const storage = new MemoryStorage();
    expect(loadApiKey(storage)).toBeNull();

    saveApiKey('gstd_secret', storage);
    storage.setItem('other', 'x');
    expect(loadApiKey(storage)).toBe('gstd_secret');

    clearSession(storage);
    expect(loadApiKey(storage)).toBeNull();
    expect(storage.length).toBe(0);
  });

  it('answers no key when storage is unavailable', () => {
    const broken = new MemoryStorage();
    broken.getItem = () => {
      throw new Error('SecurityError');
    };
    expect(loadApiKey(broken)).toBeNull();
  });
});
