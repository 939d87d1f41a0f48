import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  accountViewSchema, accountWithPasswordSchema, addAccountRequestSchema, changePasswordRequestSchema, loginRequestSchema, loginResponseSchema,
  refreshRequestSchema,
} from '@shared/contract/server-http';
import { AccountError, type AccountAdmin } from '../auth/account-admin';
import type { SignInService } from '../auth/sign-in';
import { sendError } from './http-errors';
import { defineRoute } from './route-table';

export interface AuthRouteDeps {
  signIn: SignInService;
  accounts: AccountAdmin;
}

/** An AccountError as its answer (429s with Retry-After); anything else is rethrown. */
async function answer<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof AccountError)) throw error;
    if (error.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.retryAfterSeconds));
    return sendError(reply, error.status, error.code, error.message);
  }
}

const usernameParamsSchema = z.object({ username: z.string().min(1).max(64) });
const ok = z.object({ ok: z.literal(true) });

/** Sign-in, refresh, sign-out and password change; and the admins' account routes. */
export function authRoutes({ signIn, accounts }: AuthRouteDeps) {
  return [
    defineRoute({
      method: 'POST', path: '/api/auth/login', operationId: 'login', tag: 'auth', roles: null,
      summary: 'Exchange a username and password for an access token (15 min) and a refresh token',
      body: loginRequestSchema,
      responses: {
        200: { description: 'Signed in', schema: loginResponseSchema },
        401: { description: 'Wrong username or password' },
        403: { description: "account_disabled, or password_change_required (change it through POST /api/auth/password)" },
        429: { description: 'Too many failed sign-ins for this user name or address (Retry-After says how long to wait)' },
      },
      handler: ({ body, request, reply }) => answer(reply, () => signIn.signIn(body.username, body.password, request.ip)),
    }),
    defineRoute({
      method: 'POST', path: '/api/auth/refresh', operationId: 'refreshToken', tag: 'auth', roles: null,
      summary: 'Exchange a refresh token (once) for a new access token and refresh token',
      body: refreshRequestSchema,
      responses: { 200: { description: 'A new pair', schema: loginResponseSchema }, 401: { description: 'token_revoked: unknown, used, expired or revoked' }, 403: { description: 'account_disabled' } },
      handler: ({ body, reply }) => answer(reply, () => signIn.refresh(body.refreshToken)),
    }),
    defineRoute({
      method: 'POST', path: '/api/auth/logout', operationId: 'logout', tag: 'auth', roles: ['agent', 'supervisor', 'admin'],
      summary: "Sign out: revokes every access and refresh token of the caller's account",
      responses: { 200: { description: 'Signed out', schema: ok } },
      handler: async ({ principal }) => {
        await signIn.signOut(principal!.subject);
        return { ok: true as const };
      },
    }),
    defineRoute({
      method: 'POST', path: '/api/auth/password', operationId: 'changePassword', tag: 'auth', roles: null,
      summary: 'Change a password with the current one (revokes every token of the account)',
      body: changePasswordRequestSchema,
      responses: { 200: { description: 'Changed', schema: ok }, 401: { description: 'Wrong username or password' }, 429: { description: 'Too many failed attempts' } },
      handler: ({ body, request, reply }) => answer(reply, async () => {
        await signIn.changePassword(body.username, body.password, body.newPassword, request.ip);
        return { ok: true as const };
      }),
    }),
    defineRoute({
      method: 'GET', path: '/api/admin/users', operationId: 'listUsers', tag: 'admin', roles: ['admin'],
      summary: 'Every account',
      responses: { 200: { description: 'Accounts', schema: z.object({ users: z.array(accountViewSchema) }) } },
      handler: async () => ({ users: await accounts.list() }),
    }),
    defineRoute({
      method: 'POST', path: '/api/admin/users', operationId: 'addUser', tag: 'admin', roles: ['admin'],
      summary: 'Add an account; answers its one-time password (changed at first sign-in)',
      body: addAccountRequestSchema,
      responses: { 200: { description: 'Added', schema: accountWithPasswordSchema }, 409: { description: 'The user name is taken' } },
      handler: ({ body, reply }) => answer(reply, () => accounts.add(body)),
    }),
    // Disabling revokes the account's tokens at once; enabling does not bring them back.
    ...(['disable', 'enable'] as const).map((action) => defineRoute({
      method: 'POST', path: `/api/admin/users/:username/${action}`, operationId: `${action}User`, tag: 'admin', roles: ['admin'],
      summary: action === 'disable' ? 'Disable an account (revokes its tokens at once)' : 'Enable a disabled account',
      params: usernameParamsSchema,
      responses: { 200: { description: `${action}d`, schema: accountViewSchema }, 404: { description: 'No such account' } },
      handler: ({ params, reply }) => answer(reply, () => accounts.setDisabled(params.username, action === 'disable')),
    })),
    defineRoute({
      method: 'POST', path: '/api/admin/users/:username/reset-password', operationId: 'resetUserPassword', tag: 'admin', roles: ['admin'],
      summary: 'A new one-time password for an account (revokes its tokens)',
      params: usernameParamsSchema,
      responses: { 200: { description: 'Reset', schema: accountWithPasswordSchema }, 404: { description: 'No such account' } },
      handler: ({ params, reply }) => answer(reply, () => accounts.resetPassword(params.username)),
    }),
  ];
}
