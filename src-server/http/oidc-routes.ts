import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { loginResponseSchema, OIDC_RETURN_PARAMS, oidcExchangeRequestSchema, oidcStartQuerySchema } from '@shared/contract/server-http';
import { AccountError } from '../auth/account-admin';
import { isAllowedReturnTo, OidcRefusal, type OidcService } from '../auth/oidc';
import { sendError } from './http-errors';
import { defineRoute } from './route-table';

export interface OidcRouteDeps {
  /** Absent: single sign-on is off and every route answers 404. */
  oidc?: OidcService;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A page for a browser that cannot be sent back to the desktop (an unknown or used state). */
function refusalPage(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store')
    .send(`<!doctype html><meta charset="utf-8"><title>Holdfast sign-in</title><h1>Sign-in refused</h1><p>${escapeHtml(message)}</p><p>Close this page and sign in again from Holdfast.</p>`);
}

const CALLBACK_PATH = '/api/auth/oidc/callback';

const callbackUrl = (oidc: OidcService, request: FastifyRequest): string =>
  oidc.config.redirectUri ?? `${request.protocol}://${request.host}${CALLBACK_PATH}`;

const back = (returnTo: string, params: Record<string, string>): string => {
  const url = new URL(returnTo);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
};

/**
 * The flow is bound to the browser that started it: a cookie named after the state, so a callback URL
 * someone else got from the provider (login CSRF: signing a victim in as the attacker) is refused.
 */
const flowCookie = (state: string): string => `holdfast_oidc_${createHash('sha256').update(state).digest('base64url').slice(0, 22)}`;
/** Sent back only to the callback (as the browser reaches it: behind a proxy, HOLDFAST_OIDC_REDIRECT_URI's path). */
const cookieAttributes = (callback: string, maxAge: number): string => {
  const url = new URL(callback);
  return `Path=${url.pathname}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${url.protocol === 'https:' ? '; Secure' : ''}`;
};
const hasFlowCookie = (request: FastifyRequest, state: string): boolean =>
  (request.headers.cookie ?? '').split(';').some((part) => part.trim() === `${flowCookie(state)}=1`);

/** Single sign-on through the company's OpenID provider (see auth/oidc.ts). */
export function oidcRoutes({ oidc }: OidcRouteDeps) {
  const off = (reply: FastifyReply): FastifyReply => sendError(reply, 404, 'not_found', 'Single sign-on is not configured on this server');
  return [
    defineRoute({
      method: 'GET', path: '/api/auth/oidc/start', operationId: 'oidcStart', tag: 'auth', roles: null,
      summary: "Start a sign-in through the company's OpenID provider: redirects there (authorization code flow with PKCE)",
      description: `The browser comes back to returnTo (a loopback URL) with ${OIDC_RETURN_PARAMS.code}, a one-time code for POST /api/auth/oidc/exchange, or with ${OIDC_RETURN_PARAMS.error}.`,
      query: oidcStartQuerySchema,
      responses: {
        302: { description: "To the provider's sign-in page" }, 400: { description: 'returnTo is not a loopback URL' }, 404: { description: 'Single sign-on is off' },
        502: { description: 'The identity provider cannot be reached' },
      },
      handler: async ({ query, request, reply }) => {
        if (!oidc) return off(reply);
        if (!isAllowedReturnTo(query.returnTo)) return sendError(reply, 400, 'invalid_request', 'returnTo: only a loopback http(s) URL');
        const callback = callbackUrl(oidc, request);
        let url: URL;
        try {
          url = await oidc.start(query.returnTo, callback);
        } catch (error) {
          request.log.error({ err: error }, 'the identity provider could not be reached');
          return sendError(reply, 502, 'unavailable', 'The identity provider cannot be reached: try again later, or sign in with a password');
        }
        const state = url.searchParams.get('state') ?? '';
        return reply.header('cache-control', 'no-store').header('set-cookie', `${flowCookie(state)}=1; ${cookieAttributes(callback, 600)}`).redirect(url.toString(), 302);
      },
    }),
    defineRoute({
      method: 'GET', path: CALLBACK_PATH, operationId: 'oidcCallback', tag: 'auth', roles: null,
      summary: "The provider's redirect: checks the answer and sends the browser back to the desktop with a one-time code",
      responses: {
        302: { description: `Back to returnTo with ${OIDC_RETURN_PARAMS.code}, or ${OIDC_RETURN_PARAMS.error} (no_role, account_disabled, provider_error, ...)` },
        400: { description: 'Unknown, used or expired state, or a flow another browser started', contentType: 'text/html' },
        404: { description: 'Single sign-on is off' },
      },
      handler: async ({ request, reply }) => {
        if (!oidc) return off(reply);
        const query = new URL(request.url, 'http://callback').searchParams;
        const state = query.get('state') ?? undefined;
        // Not this browser's flow: refused, and the flow stays for the browser that started it.
        if (state !== undefined && !hasFlowCookie(request, state)) return refusalPage(reply, 400, 'This sign-in was not started in this browser.');
        const pending = await oidc.takePending(state);
        if (!pending || state === undefined) return refusalPage(reply, 400, 'This sign-in is unknown, already used or expired.');
        void reply.header('cache-control', 'no-store').header('set-cookie', `${flowCookie(state)}=; ${cookieAttributes(pending.redirectUri, 0)}`);
        try {
          const code = await oidc.finish(pending, state, query);
          return reply.redirect(back(pending.returnTo, { [OIDC_RETURN_PARAMS.code]: code }), 302);
        } catch (error) {
          if (!(error instanceof OidcRefusal)) throw error;
          request.log.warn({ refusal: error.code }, 'single sign-on refused');
          return reply.redirect(back(pending.returnTo, { [OIDC_RETURN_PARAMS.error]: error.code, [OIDC_RETURN_PARAMS.description]: error.message }), 302);
        }
      },
    }),
    defineRoute({
      method: 'POST', path: '/api/auth/oidc/exchange', operationId: 'oidcExchange', tag: 'auth', roles: null,
      summary: 'Exchange the one-time code of a single sign-on (once, within a minute) for an access token and a refresh token',
      body: oidcExchangeRequestSchema,
      responses: { 200: { description: 'Signed in', schema: loginResponseSchema }, 401: { description: 'invalid_code: unknown, used or expired' }, 404: { description: 'Single sign-on is off' } },
      handler: async ({ body, reply }) => {
        if (!oidc) return off(reply);
        try {
          return await oidc.exchange(body.code);
        } catch (error) {
          if (error instanceof AccountError) return sendError(reply, error.status, error.code, error.message);
          throw error;
        }
      },
    }),
  ];
}
