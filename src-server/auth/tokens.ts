import { createHash, randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';

export const tokenRoleSchema = z.enum(['agent', 'supervisor', 'admin', 'telephony']);
export type TokenRole = z.infer<typeof tokenRoleSchema>;

export interface Principal {
  subject: string;
  role: TokenRole;
  /** The account's token version when the token was issued (people's tokens only). */
  tokenVersion?: number;
}

const ISSUER = 'holdfast-routing-server';
/** Access tokens are short: revocation is checked on every request, expiry bounds a leaked one anyway. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

/** Signed bearer tokens (HS256). The role in the token is what the server enforces. */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(secret: string, private readonly ttlSeconds = ACCESS_TOKEN_TTL_SECONDS) {
    if (secret.length < 32) throw new Error('The token secret must be at least 32 characters');
    this.key = new TextEncoder().encode(secret);
  }

  async issue(principal: Principal): Promise<{ token: string; expiresAt: string }> {
    const expiresAtSeconds = Math.floor(Date.now() / 1000) + this.ttlSeconds;
    const token = await new SignJWT({ role: principal.role, ver: principal.tokenVersion ?? 0 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(principal.subject)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(expiresAtSeconds)
      .sign(this.key);
    return { token, expiresAt: new Date(expiresAtSeconds * 1000).toISOString() };
  }

  /** The principal for a valid token, or null for anything else. */
  async verify(token: string | undefined | null): Promise<Principal | null> {
    return (await this.check(token)).principal;
  }

  /** Like verify, and says whether a refused token had only expired (a desktop then refreshes it). */
  async check(token: string | undefined | null): Promise<{ principal: Principal | null; expired: boolean }> {
    if (!token) return { principal: null, expired: false };
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      const role = tokenRoleSchema.safeParse(payload.role);
      const version = typeof payload.ver === 'number' && Number.isInteger(payload.ver) ? payload.ver : 0;
      return { principal: role.success && payload.sub ? { subject: payload.sub, role: role.data, tokenVersion: version } : null, expired: false };
    } catch (error) {
      return { principal: null, expired: (error as { code?: unknown }).code === 'ERR_JWT_EXPIRED' };
    }
  }
}

/** A refresh token: random, opaque; the server keeps only its SHA-256. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: refreshTokenHash(token) };
}

export const refreshTokenHash = (token: string): string => createHash('sha256').update(token).digest('base64url');
