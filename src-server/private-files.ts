import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

/**
 * The server's data is its owner's alone: the data folder 0700, the store
 * and the secrets 0600. (On Windows the modes mean little; the folder's ACL
 * protects them.)
 */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // `mode` applies only to folders made now: one made by an older version is closed up too.
  chmodSync(dir, 0o700);
}

/** An existing file others could read (made by an older version, copied, restored) is closed up. */
export function closeUp(file: string): void {
  if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
}

/**
 * Makes the SQLite file 0600 before SQLite opens it (an empty file is an
 * empty database), so the -wal and -shm files SQLite makes beside it, which
 * take the database file's permissions, are 0600 too.
 */
export function privateDatabaseFile(file: string): void {
  if (file === ':memory:' || file === '') return;
  closeSync(openSync(file, 'a', 0o600));
  for (const suffix of ['', '-wal', '-shm', '-journal']) closeUp(file + suffix);
}
