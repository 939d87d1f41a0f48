import type { InvokeResult, SessionState } from '@shared/contract/desktop-api';
import { OIDC_RETURN_PARAMS } from '@shared/contract/server-http';
import { bridge, call } from '../../bridge/bridge';

export const login = (username: string, password: string) => bridge.invoke('session.login', { username, password });
export const changePassword = (username: string, password: string, newPassword: string) => bridge.invoke('session.changePassword', { username, password, newPassword });
export const logout = () => void call('session.logout', {});
export const setPresence = (presence: 'available' | 'away') => void call('presence.set', { presence });

/**
 * Sign-in through the company's identity provider. Electron: all of it in the system browser
 * (answers once signed in). Browser mode: this page goes to the provider and comes back here
 * with a one-time code (see takeProviderReturn); answers only if it could not go.
 */
export async function loginWithProvider(via: NonNullable<SessionState['provider']>['via']): Promise<InvokeResult<unknown>> {
  if (via === 'system-browser') return bridge.invoke('session.loginWithSystemBrowser', {});
  const url = await bridge.invoke('session.providerSignInUrl', { returnTo: `${window.location.origin}${window.location.pathname}` });
  if (url.ok) window.location.assign(url.value.url);
  return url;
}

/**
 * What the page came back from the provider with, taken off the address bar at once (the code works once
 * and must not stay in history): the code signs in; a refusal's description is answered for the login screen.
 */
export function takeProviderReturn(): Promise<InvokeResult<unknown>> | null {
  const params = new URLSearchParams(window.location.search);
  const code = params.get(OIDC_RETURN_PARAMS.code);
  const error = params.get(OIDC_RETURN_PARAMS.error);
  const description = params.get(OIDC_RETURN_PARAMS.description);
  if (code === null && error === null) return null;
  for (const key of Object.values(OIDC_RETURN_PARAMS)) params.delete(key);
  const query = params.toString();
  window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`);
  if (code !== null) return bridge.invoke('session.loginWithProvider', { code });
  return Promise.resolve({ ok: false, error: { code: error === 'account_disabled' ? 'account_disabled' : 'forbidden', message: description ?? `The sign-in was refused (${error})` } });
}
