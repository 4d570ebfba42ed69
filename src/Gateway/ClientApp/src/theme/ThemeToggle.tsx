import { useEffect, useState } from 'react';
import { THEME_STORAGE_KEY, applyThemeChoice, loadThemeChoice, nextTheme, parseThemeChoice, saveThemeChoice, type ThemeChoice } from './theme';
import './theme.css';

const LABELS: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };
const ICONS: Record<ThemeChoice, string> = { system: '◐', light: '☀', dark: '☾' };

/** A button cycling the theme system → light → dark; the choice is kept in localStorage and followed by other tabs. */
export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>(() => loadThemeChoice());

  useEffect(() => applyThemeChoice(choice), [choice]);

  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === THEME_STORAGE_KEY || event.key === null) {
        setChoice(parseThemeChoice(event.newValue));
      }
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  const next = nextTheme(choice);
  const choose = () => {
    saveThemeChoice(next);
    setChoice(next);
  };

  return (
    <button
      type="button"
      className="theme-toggle"
      onClick={choose}
      aria-label={`Theme: ${LABELS[choice]} (switch to ${LABELS[next]})`}
      title={`Switch to the ${LABELS[next].toLowerCase()} theme`}
    >
      <span aria-hidden="true">{ICONS[choice]}</span> <span className="theme-toggle-prefix">Theme: </span>
      {LABELS[choice]}
    </button>
  );
}
