import type Database from 'better-sqlite3-multiple-ciphers';

/**
 * How the local cache is encrypted at rest: SQLite3 Multiple Ciphers (the
 * SQLCipher-compatible build in better-sqlite3-multiple-ciphers) with its
 * AEGIS-256 scheme. AEGIS is an authenticated cipher (every page carries a
 * tag, so a tampered or damaged page fails to read, as SQLCipher's HMAC did)
 * that runs on the CPU's AES instructions. Writing a 30,000-customer
 * snapshot measured 5.0 s with the SQLCipher scheme (AES-256-CBC plus
 * HMAC-SHA512 in software) and 2.9 s with AEGIS, against 2.8 s unencrypted
 * (tests/bench/sync.bench.ts has the whole cold sync).
 */
export const CACHE_CIPHER = 'aegis';

/** Schemes earlier versions wrote; a cache in one of these is read once for its unsent outbox, then rebuilt. */
export const LEGACY_CACHE_CIPHERS = ['sqlcipher'] as const;

export type CacheCipher = typeof CACHE_CIPHER | (typeof LEGACY_CACHE_CIPHERS)[number];

/**
 * Sets the scheme and key on a freshly opened connection, before it reads
 * anything. The key is a random 256-bit secret (keychain or 0600 key file),
 * so the scheme's own key derivation (Argon2id for AEGIS) adds no strength
 * a guessable password would need; it runs once per connection.
 */
export function unlockCache(db: Database.Database, key: string, cipher: CacheCipher = CACHE_CIPHER): void {
  db.pragma(`cipher='${cipher}'`);
  db.pragma(`key='${key.replace(/'/g, "''")}'`);
}
