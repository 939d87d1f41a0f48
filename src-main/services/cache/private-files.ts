import { chmodSync, closeSync, existsSync, mkdirSync, openSync, renameSync, writeFileSync } from 'node:fs';

/**
 * The desktop's data is its owner's alone: folders 0700, files 0600. (On
 * Windows the modes mean little; the profile folder's ACL protects them.)
 */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // `mode` applies only to folders made now: one made by an older version is closed up too.
  chmodSync(dir, 0o700);
}

/**
 * Makes the SQLite file 0600 before SQLite opens it (an empty file is an
 * empty database), so the -wal and -shm files SQLite makes beside it, which
 * take the database file's permissions, are 0600 too; files an older version
 * left readable by others are closed up.
 */
export function privateDatabaseFile(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (existsSync(file + suffix)) chmodSync(file + suffix, 0o600);
  }
}

/** Writes a secret whole or not at all (temporary file, then rename), readable by its owner only. */
export function writePrivate(file: string, data: string | Buffer): void {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, data, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}
