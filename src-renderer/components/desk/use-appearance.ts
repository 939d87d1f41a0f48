import { useEffect } from 'react';
import type { AgentPreferences } from '@shared/contract/desktop-api';
import { useAppStore } from '../../state/app-store';

/** The look last used on this desktop, so the sign-in screen does not flash light for a dark-theme agent. */
const LAST_LOOK_KEY = 'holdfast.look';

type Look = Pick<AgentPreferences, 'theme' | 'density'>;

function lastLook(): Look {
  try {
    const stored = JSON.parse(localStorage.getItem(LAST_LOOK_KEY) ?? 'null') as Partial<Look> | null;
    const theme = stored?.theme === 'light' || stored?.theme === 'dark' ? stored.theme : 'system';
    return { theme, density: stored?.density === 'compact' ? 'compact' : 'comfortable' };
  } catch {
    return { theme: 'system', density: 'comfortable' };
  }
}

/**
 * Puts the agent's theme and density on <html> (data-theme, data-density) for
 * the stylesheet. 'system' follows prefers-color-scheme, live.
 */
export function useAppearance(): void {
  const signedIn = useAppStore((s) => s.preferences.agentId !== null);
  const theme = useAppStore((s) => s.preferences.preferences.theme);
  const density = useAppStore((s) => s.preferences.preferences.density);
  useEffect(() => {
    const look: Look = signedIn ? { theme, density } : lastLook();
    if (signedIn) localStorage.setItem(LAST_LOOK_KEY, JSON.stringify(look));
    const root = document.documentElement;
    const dark = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = (): void => {
      root.dataset.theme = look.theme === 'system' ? (dark.matches ? 'dark' : 'light') : look.theme;
      root.dataset.themeChoice = look.theme;
      root.dataset.density = look.density;
    };
    apply();
    dark.addEventListener('change', apply);
    return () => dark.removeEventListener('change', apply);
  }, [signedIn, theme, density]);
}
