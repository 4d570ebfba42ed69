import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { THEME_STORAGE_KEY, applyThemeChoice, loadThemeChoice, nextTheme, parseThemeChoice, saveThemeChoice, type ThemeChoice } from './theme';

class MemoryStorage {
  readonly values = new Map<string, string>();
  getItem(key: string): string | null {
    return this.values.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.values.set(key, value);
  }
  removeItem(key: string): void {
    this.values.delete(key);
  }
}

const failingStorage = {
  getItem(): string | null {
    throw new Error('SecurityError');
  },
  setItem(): void {
    throw new Error('SecurityError');
  },
  removeItem(): void {
    throw new Error('SecurityError');
  },
};

const choices: ThemeChoice[] = ['system', 'light', 'dark'];

describe('nextTheme', () => {
  it('cycles system, light, dark', () => {
    expect(nextTheme('system')).toBe('light');
    expect(nextTheme('light')).toBe('dark');
    expect(nextTheme('dark')).toBe('system');
  });
});

describe('parseThemeChoice', () => {
  it('accepts the three choices and reads anything else as system', () => {
    choices.forEach((choice) => expect(parseThemeChoice(choice)).toBe(choice));
    fc.assert(
      fc.property(fc.option(fc.string()), (value) => {
        expect(choices).toContain(parseThemeChoice(value));
      }),
    );
    expect(parseThemeChoice('DARK')).toBe('system');
    expect(parseThemeChoice(null)).toBe('system');
  });
});

describe('saving and loading', () => {
  it('round-trips every choice, storing nothing for system', () => {
    const storage = new MemoryStorage();
    for (const choice of ['dark', 'light', 'system'] as const) {
      saveThemeChoice(choice, storage);
      expect(loadThemeChoice(storage)).toBe(choice);
    }
    expect(storage.values.has(THEME_STORAGE_KEY)).toBe(false);
  });

  it('falls back to system when storage is switched off', () => {
    expect(() => saveThemeChoice('dark', failingStorage)).not.toThrow();
    expect(loadThemeChoice(failingStorage)).toBe('system');
  });
});

describe('applyThemeChoice', () => {
  it('sets data-theme for light and dark and removes it for system', () => {
    const root = { dataset: {} as DOMStringMap };
    applyThemeChoice('dark', root);
    expect(root.dataset['theme']).toBe('dark');
    applyThemeChoice('light', root);
    expect(root.dataset['theme']).toBe('light');
    applyThemeChoice('system', root);
    expect('theme' in root.dataset).toBe(false);
  });
});
