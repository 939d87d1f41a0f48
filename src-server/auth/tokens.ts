import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';

export const tokenRoleSchema = z.enum(['agent', 'supervisor', 'admin', 'telephony']);
export type TokenRole = z.infer<typeof tokenRoleSchema>;

export interface Principal {
  subject: string;
  role: TokenRole;
}

const ISSUER = 'holdfast-routing-server';
const TOKEN_TTL_SECONDS = 12 * 60 * 60;

/** Signed bearer tokens (HS256). The role in the token is what the server enforces. */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('The token secret must be at least 32 characters');
    this.key = new TextEncoder().encode(secret);
  }

  async issue(principal: Principal): Promise<{ token: string; expiresAt: string }> {
    const expiresAtSeconds = Math.floor(Date.now() / 1000) + TOKEN_TTL_SECONDS;
    const token = await new SignJWT({ role: principal.role })
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
    if (!token) return null;
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      const role = tokenRoleSchema.safeParse(payload.role);
      return role.success && payload.sub ? { subject: payload.sub, role: role.data } : null;
    } catch {
      return null;
    }
  }
}
