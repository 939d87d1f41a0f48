/**
 * The renderer's one origin. The page is served from a privileged custom
 * scheme rather than file://, so it has a real origin that the IPC guard,
 * the navigation policy and the protocol handler can all check against.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'holdfast';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True when `url` is on app://holdfast. Compared by parts, not by
 * `URL.origin`: Node's URL reports "null" as the origin of schemes it does
 * not know, while Chromium knows ours as a standard scheme.
 */
export function isAppUrl(url: string | null | undefined): boolean {
  if (typeof url !== 'string' || url.length === 0) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:`
    && parsed.hostname.toLowerCase() === APP_HOST
    && parsed.port === ''
    && parsed.username === ''
    && parsed.password === '';
}
