import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginResponseSchema, serverInfoSchema } from '@shared/contract/server-http';
import { createDesktopBackend } from '../../../src-main/services/create-backend';
import { FileKeyProvider } from '../../../src-main/services/key-provider';
import { startRoutingServer, type RunningServer } from '../../../src-server/routing-server';
import { until } from '../../support/desktops';
import { browse, CLIENT, freeLoopbackUrl, RETURN_TO, startProvider, USERS } from '../../support/oidc-test-provider';
import { api } from '../../support/stack';
import { handshake } from '../../support/socket-agent';
import { makeTempDir } from '../../support/temp-dir';

const startUrl = (server: RunningServer) => `${server.url}/api/auth/oidc/start?returnTo=${encodeURIComponent(RETURN_TO)}`;

/** Signs `user` in through the provider; the tokens the one-time code is exchanged for. */
async function signInWithProvider(server: RunningServer, provider: { as: { user: string } }, user: string) {
  provider.as.user = user;
  const back = await browse(startUrl(server));
  const code = back.url.searchParams.get('signin_code');
  expect(code, `${back.url.searchParams.get('signin_error')}: ${back.url.searchParams.get('signin_error_description')}`).toBeTruthy();
  expect(back.url.search).not.toMatch(/token/i);
  const exchanged = await api(server, 'POST', '/api/auth/oidc/exchange', { code }, '');
  expect(exchanged.status).toBe(200);
  // The code works once.
  expect((await api(server, 'POST', '/api/auth/oidc/exchange', { code }, '')).status).toBe(401);
  return loginResponseSchema.parse(exchanged.body);
}

describe('single sign-on through a real OpenID provider on loopback', () => {
  let server: RunningServer;
  let provider: Awaited<ReturnType<typeof startProvider>>;
  let dir: { path: string; remove(): void };
  let holdfastUrl = '';

  beforeAll(async () => {
    dir = makeTempDir('oidc');
    // The provider must know Holdfast's callback, and Holdfast the provider's issuer: Holdfast discovers it at the first sign-in.
    holdfastUrl = await freeLoopbackUrl();
    provider = await startProvider(() => `${holdfastUrl}/api/auth/oidc/callback`);
    server = await startRoutingServer({
      port: Number(new URL(holdfastUrl).port), dataDir: dir.path, demo: false, logLevel: 'silent',
      oidc: { issuer: provider.issuer, clientId: CLIENT.id, clientSecret: CLIENT.secret, roleGroups: 'supervisor=cc-supervisors,agent=cc-agents,admin=cc-admins', label: 'Example SSO' },
    });
  });
  afterAll(async () => {
    await server?.close();
    await provider?.close();
    dir?.remove();
  });

  it('tells the login screen that single sign-on is on', async () => {
    const info = serverInfoSchema.parse((await api(server, 'GET', '/api/info', undefined, '')).body);
    expect(info.oidc).toEqual({ label: 'Example SSO' });
  });

  it('maps the groups to the highest role, and the tokens work on the API and the socket', async () => {
    const supervisor = await signInWithProvider(server, provider, 'sam.super');
    expect(supervisor.agent).toMatchObject({ username: 'sam.super', displayName: 'Sam Super', role: 'supervisor' });
    expect((await api(server, 'GET', '/api/agents', undefined, supervisor.token)).status).toBe(200);
    expect(await handshake(server, supervisor.token)).toBe('connected');

    const agent = await signInWithProvider(server, provider, 'alex.agent');
    expect(agent.agent).toMatchObject({ username: 'alex.agent', role: 'agent' });
    expect((await api(server, 'GET', '/api/sync/snapshot?limit=1', undefined, agent.token)).status).toBe(200);
    expect((await api(server, 'GET', '/api/agents', undefined, agent.token)).status).toBe(403);
    expect(await handshake(server, agent.token)).toBe('connected');
    // The refresh token rotates like any other.
    expect((await api(server, 'POST', '/api/auth/refresh', { refreshToken: agent.refreshToken }, '')).status).toBe(200);

    // Signing in again finds the same account.
    const again = await signInWithProvider(server, provider, 'alex.agent');
    expect(again.agent.id).toBe(agent.agent.id);
  });

  it('an account made by the provider has no password to sign in with', async () => {
    expect((await api(server, 'POST', '/api/auth/login', { username: 'alex.agent', password: 'anything at all' }, '')).status).toBe(401);
  });

  it('refuses a user in none of the groups', async () => {
    provider.as.user = 'nora.nobody';
    const back = await browse(startUrl(server));
    expect(back.url.searchParams.get('signin_code')).toBeNull();
    expect(back.url.searchParams.get('signin_error')).toBe('no_role');
    expect(back.url.searchParams.get('signin_error_description')).toMatch(/none of the groups/);
    const accounts = await server.accounts.list();
    expect(accounts.map((a) => a.username)).not.toContain('nora.nobody');
  });

  it('refuses a disabled Holdfast account, and its provider sign-in does not enable it', async () => {
    await signInWithProvider(server, provider, 'alex.agent');
    await server.accounts.setDisabled('alex.agent', true);
    provider.as.user = 'alex.agent';
    const back = await browse(startUrl(server));
    expect(back.url.searchParams.get('signin_error')).toBe('account_disabled');
    expect((await server.accounts.list()).find((a) => a.username === 'alex.agent')?.disabled).toBe(true);
    await server.accounts.setDisabled('alex.agent', false);
  });

  it('refuses a tampered state and a tampered nonce', async () => {
    provider.as.user = 'sam.super';
    const state = await browse(startUrl(server), (url) => url.searchParams.set('state', `${url.searchParams.get('state')}x`));
    expect(state.status).toBe(400);
    expect(state.body).toMatch(/Sign-in refused/);

    const nonce = await browse(startUrl(server), (url) => url.searchParams.set('nonce', 'attacker-nonce'));
    expect(nonce.url.searchParams.get('signin_code')).toBeNull();
    expect(nonce.url.searchParams.get('signin_error')).toBe('provider_error');
    expect(nonce.url.searchParams.get('signin_error_description')).toMatch(/nonce/);

    // The provider's answer taken to another browser (login CSRF: signing someone in as oneself) is refused.
    const stolen = await browse(startUrl(server), undefined, `${server.url}/api/auth/oidc/callback`);
    const elsewhere = await fetch(stolen.url);
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toMatch(/not started in this browser/);

    // A callback replayed with a state that has been used is refused too.
    expect((await fetch(`${server.url}/api/auth/oidc/callback?state=whatever&code=x`)).status).toBe(400);
  });

  it('sends the browser back only to a loopback address, and refuses an unknown code', async () => {
    const away = await fetch(`${server.url}/api/auth/oidc/start?returnTo=${encodeURIComponent('https://attacker.example/')}`, { redirect: 'manual' });
    expect(away.status).toBe(400);
    expect((await api(server, 'POST', '/api/auth/oidc/exchange', { code: 'made-up' }, '')).status).toBe(401);
  });

  it('the desktop signs in through the system browser (a loopback listener) and through the page', async () => {
    const deskDir = makeTempDir('oidc-desk');
    const pages: string[] = [];
    const backend = createDesktopBackend({
      serverUrl: server.url, dataDir: deskDir.path, keys: new FileKeyProvider(join(deskDir.path, 'cache.key')),
      // The "system browser": goes all the way to the desktop's listener, which answers a page.
      openExternal: async (url) => {
        expect(url.startsWith(`${server.url}/api/auth/oidc/start?`)).toBe(true);
        void browse(url, undefined, null).then((last) => pages.push(last.body));
      },
    });
    try {
      const get = async () => {
        const state = await backend.invoke('session.get', {});
        if (!state.ok) throw new Error(state.error.message);
        return state.value;
      };
      await until(async () => (await get()).provider !== null, 10_000, 'the desktop to learn of single sign-on');
      expect((await get()).provider).toEqual({ label: 'Example SSO', via: 'system-browser' });

      provider.as.user = 'sam.super';
      const signedIn = await backend.invoke('session.loginWithSystemBrowser', {});
      expect(signedIn.ok && signedIn.value.user).toMatchObject({ username: 'sam.super', role: 'supervisor' });
      await until(async () => pages.length === 1, 5_000, 'the browser tab to show its page');
      expect(pages[0]).toMatch(/signed in to Holdfast/);
      expect((await backend.invoke('agents.list', {})).ok).toBe(true);
      await backend.invoke('session.logout', {});

      provider.as.user = 'nora.nobody';
      const refused = await backend.invoke('session.loginWithSystemBrowser', {});
      expect(refused.ok ? null : refused.error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/none of the groups/) });

      // Browser mode: the page goes to the start URL and comes back with a one-time code.
      provider.as.user = 'alex.agent';
      const start = await backend.invoke('session.providerSignInUrl', { returnTo: RETURN_TO });
      if (!start.ok) throw new Error(start.error.message);
      const back = await browse(start.value.url);
      const code = back.url.searchParams.get('signin_code')!;
      const page = await backend.invoke('session.loginWithProvider', { code });
      expect(page.ok && page.value.user).toMatchObject({ username: 'alex.agent', role: 'agent' });
      const replayed = await backend.invoke('session.loginWithProvider', { code });
      expect(replayed.ok).toBe(false);
    } finally {
      await backend.close();
      deskDir.remove();
    }
  });

  it('does not take over an account that signs in with a password', async () => {
    await server.accounts.add({ username: 'sam.local', displayName: 'Sam Local', role: 'agent' });
    USERS['sam.local'] = { name: 'Sam Impostor', groups: ['cc-admins'] };
    provider.as.user = 'sam.local';
    const back = await browse(startUrl(server));
    expect(back.url.searchParams.get('signin_error')).toBe('username_taken');
    expect((await server.accounts.list()).find((a) => a.username === 'sam.local')?.role).toBe('agent');
  });
});

describe('single sign-on with the provider away', () => {
  it('answers 502 at the start, and the password form still works', async () => {
    const dir = makeTempDir('oidc-away');
    const server = await startRoutingServer({
      port: 0, dataDir: dir.path, demo: true, demoCustomers: 0, logLevel: 'silent',
      oidc: { issuer: 'http://127.0.0.1:9', clientId: 'holdfast', roleGroups: 'agent=cc-agents' },
    });
    try {
      const start = await fetch(`${server.url}/api/auth/oidc/start?returnTo=${encodeURIComponent(RETURN_TO)}`, { redirect: 'manual' });
      expect(start.status).toBe(502);
      expect((await api(server, 'POST', '/api/auth/login', { username: 'ava', password: 'demo' }, '')).status).toBe(200);
    } finally {
      await server.close();
      dir.remove();
    }
  });
});

describe('single sign-on off', () => {
  let server: RunningServer;
  let dir: { path: string; remove(): void };
  beforeAll(async () => {
    dir = makeTempDir('oidc-off');
    server = await startRoutingServer({ port: 0, dataDir: dir.path, demo: false, logLevel: 'silent' });
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('answers 404 on every route, and the login screen offers no button', async () => {
    expect((await fetch(`${server.url}/api/auth/oidc/start?returnTo=${encodeURIComponent(RETURN_TO)}`, { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(`${server.url}/api/auth/oidc/callback?state=a&code=b`)).status).toBe(404);
    expect((await api(server, 'POST', '/api/auth/oidc/exchange', { code: 'x' }, '')).status).toBe(404);
    expect(serverInfoSchema.parse((await api(server, 'GET', '/api/info', undefined, '')).body).oidc).toBeNull();
  });
});
