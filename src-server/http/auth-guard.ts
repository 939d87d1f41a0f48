import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, TokenRole, TokenService } from '../auth/tokens';
import { sendError } from './http-errors';

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Resolves the bearer token to a principal and enforces the roles a route
 * allows. Telephony adapters use a shared key; people use signed tokens.
 */
export function createAuthGuard(tokens: TokenService, telephonyKey: string) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply, roles: readonly TokenRole[]): Promise<Principal | null> {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
    if (!token) {
      sendError(reply, 401, 'unauthorized', 'Missing bearer token');
      return null;
    }
    const principal: Principal | null = sameSecret(token, telephonyKey) ? { subject: 'telephony', role: 'telephony' } : await tokens.verify(token);
    if (!principal) {
      sendError(reply, 401, 'unauthorized', 'Invalid or expired token');
      return null;
    }
    if (!roles.includes(principal.role)) {
      sendError(reply, 403, 'forbidden', `This needs one of the roles: ${roles.join(', ')}`);
      return null;
    }
    return principal;
  };
}
export type AuthGuard = ReturnType<typeof createAuthGuard>;
