import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;

/** scrypt cost: N = 2^logN, r, p. The stored hash names its own, so the cost can rise later. */
export interface ScryptCost {
  logN: number;
  r: number;
  p: number;
}

/** Current guidance (OWASP password storage): N = 2^17, r = 8, p = 1. */
export const CURRENT_COST: ScryptCost = { logN: 17, r: 8, p: 1 };
/** What hashes without parameters (`scrypt$salt$key`, before the cost was named) were made with: Node's default. */
const LEGACY_COST: ScryptCost = { logN: 14, r: 8, p: 1 };

/** How many scrypt verifications ran (real and dummy): lets tests see that an unknown user costs a verification too. */
export const passwordWork = { verifications: 0 };

function scrypt(password: string, salt: Buffer, keylen: number, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.logN;
  // Node refuses anything above 32 MiB by default; N = 2^17, r = 8 needs 128 MiB.
  const options: ScryptOptions = { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** scrypt with a per-user salt: `scrypt$logN$r$p$salt$key`. */
export async function hashPassword(password: string, cost: ScryptCost = CURRENT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, cost);
  return `scrypt$${cost.logN}$${cost.r}$${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

interface ParsedHash {
  cost: ScryptCost;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts[0] !== 'scrypt') return null;
  if (parts.length === 3) return { cost: LEGACY_COST, salt: Buffer.from(parts[1]!, 'base64'), key: Buffer.from(parts[2]!, 'base64') };
  if (parts.length !== 6) return null;
  const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![logN, r, p].every((n) => Number.isInteger(n) && n > 0) || logN > 20 || r > 32 || p > 16) return null;
  return { cost: { logN, r, p }, salt: Buffer.from(parts[4]!, 'base64'), key: Buffer.from(parts[5]!, 'base64') };
}

export interface Verification {
  ok: boolean;
  /** The hash was made with less than the current cost: store a new one now that the password is known. */
  needsRehash: boolean;
}

export async function checkPassword(password: string, stored: string): Promise<Verification> {
  const parsed = parseHash(stored);
  if (!parsed || parsed.key.length === 0) {
    await verifyDummy(password);
    return { ok: false, needsRehash: false };
  }
  passwordWork.verifications++;
  const actual = await scrypt(password, parsed.salt, parsed.key.length, parsed.cost);
  const ok = timingSafeEqual(actual, parsed.key);
  const { cost } = parsed;
  return { ok, needsRehash: ok && (cost.logN < CURRENT_COST.logN || cost.r < CURRENT_COST.r) };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  return (await checkPassword(password, stored)).ok;
}

let dummyHash: Promise<string> | null = null;

/**
 * The same work as checking a real password, for a user name that does not
 * exist: an unknown name must not answer faster than a known one.
 */
export async function verifyDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString('base64'));
  const parsed = parseHash(await dummyHash)!;
  passwordWork.verifications++;
  const actual = await scrypt(password, parsed.salt, parsed.key.length, parsed.cost);
  timingSafeEqual(actual, parsed.key);
}
