import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SignInService } from '../auth/sign-in';
import type { Principal, TokenRole, TokenService } from '../auth/tokens';
import { sendError } from './http-errors';

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const REFUSALS = {
  token_expired: 'The access token has expired: refresh it',
  token_revoked: 'This session has been signed out: sign in again',
  account_disabled: 'This account is disabled',
  unauthorized: 'Invalid or expired token',
} as const;

/**
 * Resolves the bearer token to a principal and enforces the roles a route
 * allows. Telephony adapters use a shared key; people use signed tokens, and
 * their account must still exist, be active and not have revoked the token.
 */
export function createAuthGuard(tokens: TokenService, telephonyKey: string, accounts: Pick<SignInService, 'admit'>) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply, roles: readonly TokenRole[]): Promise<Principal | null> {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
    if (!token) {
      sendError(reply, 401, 'unauthorized', 'Missing bearer token');
      return null;
    }
    if (sameSecret(token, telephonyKey)) return allowed({ subject: 'telephony', role: 'telephony' }, reply, roles);
    const { principal, expired } = await tokens.check(token);
    if (!principal) {
      const code = expired ? 'token_expired' : 'unauthorized';
      sendError(reply, 401, code, REFUSALS[code]);
      return null;
    }
    let admitted: Awaited<ReturnType<SignInService['admit']>>;
    try {
      admitted = await accounts.admit(principal);
    } catch (error) {
      request.log.error({ err: error }, 'could not read the account to check a token');
      sendError(reply, 503, 'unavailable', 'The server cannot check sign-ins right now; try again shortly');
      return null;
    }
    if ('refusal' in admitted) {
      sendError(reply, 401, admitted.refusal, REFUSALS[admitted.refusal]);
      return null;
    }
    return allowed(principal, reply, roles);
  };
}

function allowed(principal: Principal, reply: FastifyReply, roles: readonly TokenRole[]): Principal | null {
  if (!roles.includes(principal.role)) {
    sendError(reply, 403, 'forbidden', `This needs one of the roles: ${roles.join(', ')}`);
    return null;
  }
  return principal;
}
export type AuthGuard = ReturnType<typeof createAuthGuard>;
