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

const callbackUrl = (oidc: OidcService, request: FastifyRequest): string =>
  oidc.config.redirectUri ?? `${request.protocol}://${request.host}/api/auth/oidc/callback`;

const back = (returnTo: string, params: Record<string, string>): string => {
  const url = new URL(returnTo);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
};

/** Single sign-on through the company's OpenID provider (see auth/oidc.ts). */
export function oidcRoutes({ oidc }: OidcRouteDeps) {
  const off = (reply: FastifyReply): FastifyReply => sendError(reply, 404, 'not_found', 'Single sign-on is not configured on this server');
  return [
    defineRoute({
      method: 'GET', path: '/api/auth/oidc/start', operationId: 'oidcStart', tag: 'auth', roles: null,
      summary: "Start a sign-in through the company's OpenID provider: redirects there (authorization code flow with PKCE)",
      description: `The browser comes back to returnTo (a loopback URL) with ${OIDC_RETURN_PARAMS.code}, a one-time code for POST /api/auth/oidc/exchange, or with ${OIDC_RETURN_PARAMS.error}.`,
      query: oidcStartQuerySchema,
      responses: { 302: { description: "To the provider's sign-in page" }, 400: { description: 'returnTo is not a loopback URL' }, 404: { description: 'Single sign-on is off' } },
      handler: async ({ query, request, reply }) => {
        if (!oidc) return off(reply);
        if (!isAllowedReturnTo(query.returnTo)) return sendError(reply, 400, 'invalid_request', 'returnTo: only a loopback http(s) URL');
        const url = await oidc.start(query.returnTo, callbackUrl(oidc, request));
        return reply.header('cache-control', 'no-store').redirect(url.toString(), 302);
      },
    }),
    defineRoute({
      method: 'GET', path: '/api/auth/oidc/callback', operationId: 'oidcCallback', tag: 'auth', roles: null,
      summary: "The provider's redirect: checks the answer and sends the browser back to the desktop with a one-time code",
      responses: {
        302: { description: `Back to returnTo with ${OIDC_RETURN_PARAMS.code}, or ${OIDC_RETURN_PARAMS.error} (no_role, account_disabled, provider_error, ...)` },
        400: { description: 'Unknown, used or expired state', contentType: 'text/html' },
        404: { description: 'Single sign-on is off' },
      },
      handler: async ({ request, reply }) => {
        if (!oidc) return off(reply);
        const query = new URL(request.url, 'http://callback').searchParams;
        const state = query.get('state') ?? undefined;
        const pending = oidc.takePending(state);
        if (!pending || state === undefined) return refusalPage(reply, 400, 'This sign-in is unknown, already used or expired.');
        void reply.header('cache-control', 'no-store');
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
          return oidc.exchange(body.code);
        } catch (error) {
          if (error instanceof AccountError) return sendError(reply, error.status, error.code, error.message);
          throw error;
        }
      },
    }),
  ];
}
