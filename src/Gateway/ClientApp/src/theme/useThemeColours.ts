import { useMemo, useSyncExternalStore } from 'react';

/** The palette of app.css as colour strings, for drawing that CSS cannot reach (canvas charts). */
export interface ThemeColours {
  background: string;
  text: string;
  muted: string;
  line: string;
  panel: string;
  accent: string;
  good: string;
  bad: string;
}

// In the order useThemeColours unpacks them.
const VARIABLES = ['--bg', '--text', '--muted', '--line', '--panel', '--accent', '--good', '--bad'] as const;

/** The current palette, read again whenever the theme changes (the toggle or the system's preference). */
export function useThemeColours(): ThemeColours {
  // The snapshot is a string, so an unchanged palette compares equal and causes no re-render.
  const snapshot = useSyncExternalStore(subscribe, readSnapshot);
  return useMemo(() => {
    const [background = '', text = '', muted = '', line = '', panel = '', accent = '', good = '', bad = ''] = snapshot.split('\n');
    return { background, text, muted, line, panel, accent, good, bad };
  }, [snapshot]);
}

function readSnapshot(): string {
  const style = getComputedStyle(document.documentElement);
  return VARIABLES.map((name) => style.getPropertyValue(name).trim()).join('\n');
}

function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', onChange);
  return () => {
    observer.disconnect();
    media.removeEventListener('change', onChange);
  };
}
