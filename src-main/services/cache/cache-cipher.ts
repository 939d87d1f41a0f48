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

const quoted = (key: string): string => `'${key.replace(/'/g, "''")}'`;

export type CacheCipher = typeof CACHE_CIPHER | (typeof LEGACY_CACHE_CIPHERS)[number];

/**
 * Sets the scheme and key on a freshly opened connection, before it reads
 * anything. The key is a random 256-bit secret (keychain or 0600 key file),
 * so the scheme's own key derivation (Argon2id for AEGIS) adds no strength
 * a guessable password would need; it runs once per connection.
 */
export function unlockCache(db: Database.Database, key: string, cipher: CacheCipher = CACHE_CIPHER): void {
  db.pragma(`cipher='${cipher}'`);
  db.pragma(`key=${quoted(key)}`);
}

/**
 * Encrypts a plain database file in place with the cache's scheme and key
 * (PRAGMA rekey). A file whose pages already leave the cipher's reserve
 * (IMAGE_PAGE_RESERVE_BYTES) is rewritten page by page; any other is
 * rebuilt by SQLite3 Multiple Ciphers to make room, which is slower but
 * gives the same file.
 */
export function encryptInPlace(db: Database.Database, key: string): void {
  db.pragma(`cipher='${CACHE_CIPHER}'`);
  db.pragma(`rekey=${quoted(key)}`);
}

/** Attaches another file encrypted with the cache's scheme and key to a cache connection. */
export function attachEncrypted(db: Database.Database, file: string, schema: string, key: string): void {
  db.prepare(`ATTACH DATABASE ? AS ${schema} KEY ?`).run(file, key);
}
