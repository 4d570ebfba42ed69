// The colour theme: 'system' follows the operating system (prefers-color-scheme); 'light' and 'dark' override it.

export type ThemeChoice = 'system' | 'light' | 'dark';

export const THEME_STORAGE_KEY = 'gstd.theme';

const ORDER: readonly ThemeChoice[] = ['system', 'light', 'dark'];

/** The choice after this one when the toggle is pressed: system → light → dark → system. */
export function nextTheme(choice: ThemeChoice): ThemeChoice {
  return ORDER[(ORDER.indexOf(choice) + 1) % ORDER.length]!;
}

/** A stored value as a choice; anything unknown (or nothing) is 'system'. */
export function parseThemeChoice(value: string | null): ThemeChoice {
  return ORDER.find((choice) => choice === value) ?? 'system';
}

export function loadThemeChoice(storage: Pick<Storage, 'getItem'> = localStorage): ThemeChoice {
  try {
    return parseThemeChoice(storage.getItem(THEME_STORAGE_KEY));
  } catch {
    // Storage can be switched off; the system's theme is then the sensible default.
    return 'system';
  }
}

export function saveThemeChoice(choice: ThemeChoice, storage: Pick<Storage, 'setItem' | 'removeItem'> = localStorage): void {
  try {
    if (choice === 'system') {
      storage.removeItem(THEME_STORAGE_KEY);
    } else {
      storage.setItem(THEME_STORAGE_KEY, choice);
    }
  } catch {
    // As above: the choice still holds until the page is reloaded.
  }
}

/** Sets `data-theme` on the root element, which app.css reads; 'system' removes it so the media query decides. */
export function applyThemeChoice(choice: ThemeChoice, root: { dataset: DOMStringMap } = document.documentElement): void {
  if (choice === 'system') {
    delete root.dataset['theme'];
  } else {
    root.dataset['theme'] = choice;
  }
}
