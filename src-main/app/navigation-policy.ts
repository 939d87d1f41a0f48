import { isAppUrl } from './app-origin';

/** The window may only move within app://holdfast; everything else is refused. */
export function isInternalNavigation(url: string): boolean {
  return isAppUrl(url);
}

/**
 * A link the user clicked that may be handed to the OS browser: https only,
 * without embedded credentials. Returns the normalised URL, or null to drop it.
 */
export function externalLinkToOpen(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') return null;
  return parsed.href;
}
