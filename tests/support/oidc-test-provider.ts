import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** The provider's users: two in Holdfast's groups, one in none. */
export const USERS: Record<string, { name: string; groups: string[] }> = {
  'sam.super': { name: 'Sam Super', groups: ['staff', 'cc-supervisors'] },
  'alex.agent': { name: 'Alex Agent', groups: ['cc-agents'] },
  'nora.nobody': { name: 'Nora Nobody', groups: ['finance'] },
};
export const CLIENT = { id: 'holdfast', secret: 'holdfast-test-client-secret-0123456789' };
/** Where the browser is sent back to: never requested, the test stops at the redirect. */
export const RETURN_TO = 'http://127.0.0.1:9/signed-in';

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A loopback URL with a port free now: Holdfast listens there, so the provider can know its callback first. */
export async function freeLoopbackUrl(): Promise<string> {
  const probe = createServer();
  const url = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  return url;
}

/**
 * A real OpenID provider (oidc-provider) on loopback, whose login interaction signs in
 * whichever test user `as` names (in place of a login form) and whose client is first-party
 * (no consent screen).
 */
export async function startProvider(holdfastCallback: () => string): Promise<{ issuer: string; as: { user: string }; close(): Promise<void> }> {
  const http = createServer();
  const issuer = await listen(http);
  const as = { user: 'alex.agent' };
  const provider = new Provider(issuer, {
    clients: [{ client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uris: [holdfastCallback()], response_types: ['code'], grant_types: ['authorization_code'] }],
    cookies: { keys: ['oidc-test-cookie-key-0123456789'] },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    claims: { openid: ['sub'], email: ['email'], profile: ['name', 'preferred_username', 'groups'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, id: string) => {
      const user = USERS[id];
      return user ? { accountId: id, claims: () => ({ sub: id, preferred_username: id, name: user.name, email: `${id}@example.com`, groups: user.groups }) } : undefined;
    },
    loadExistingGrant: async (ctx: { oidc: { provider: Provider; client: { clientId: string }; session: { accountId: string } } }) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile email');
      await grant.save();
      return grant;
    },
  });
  const handle = provider.callback();
  http.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return handle(req, res);
    void (async () => {
      await provider.interactionDetails(req, res);
      await provider.interactionFinished(req, res, { login: { accountId: as.user } }, { mergeWithLastSubmission: false });
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  return { issuer, as, close: () => new Promise((resolve) => http.close(() => resolve())) };
}

/** A browser: follows redirects by hand, keeps cookies, stops where it would leave for `stopAt` (null: goes all the way). */
export async function browse(start: string, tamper?: (url: URL) => void, stopAt: string | null = RETURN_TO): Promise<{ url: URL; status: number; body: string }> {
  const cookies = new Map<string, string>();
  let url = new URL(start);
  for (let hop = 0; hop < 20; hop++) {
    if (stopAt !== null && url.href.startsWith(stopAt)) return { url, status: 302, body: '' };
    if (tamper && url.pathname === '/auth') tamper(url);
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const set of response.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const at = pair!.indexOf('=');
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return { url, status: response.status, body: await response.text() };
    await response.body?.cancel();
    url = new URL(location, url);
  }
  throw new Error('too many redirects');
}
