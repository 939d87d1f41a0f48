import { writeFileSync } from 'node:fs';

/**
 * Writes an empty SQLite database (page 1 alone: the file header and an
 * empty schema table) whose pages keep `reserveBytes` unused at their end.
 *
 * Why by hand: SQLite sets a new file's reserved bytes only through
 * sqlite3_file_control(SQLITE_FCNTL_RESERVE_BYTES), which better-sqlite3
 * does not expose, and no pragma sets it. Every page written after keeps
 * the reserve, VACUUM included. The cold-sync image is built on this seed
 * with the reserve the desktop's cache cipher needs for each page's nonce
 * and tag, so the desktop encrypts it in place one page at a time (PRAGMA
 * rekey) instead of rebuilding the whole file to make room for them.
 *
 * The layout is SQLite's documented file format
 * (https://www.sqlite.org/fileformat2.html, "The Database Header" and
 * "B-tree Pages"), the same bytes SQLite writes for an empty database.
 */
export function writeEmptyDatabase(file: string, { pageSize = 4096, reserveBytes }: { pageSize?: number; reserveBytes: number }): void {
  if (!Number.isInteger(Math.log2(pageSize)) || pageSize < 512 || pageSize > 65536) throw new RangeError(`page size ${pageSize} is not a power of two from 512 to 65536`);
  if (!Number.isInteger(reserveBytes) || reserveBytes < 0 || reserveBytes > 255 || pageSize - reserveBytes < 480) throw new RangeError(`${reserveBytes} reserved bytes do not fit a ${pageSize}-byte page`);
  const page = Buffer.alloc(pageSize);
  page.write('SQLite format 3\0', 0, 'latin1');
  page.writeUInt16BE(pageSize === 65536 ? 1 : pageSize, 16);
  page[18] = 1; // file format write version: legacy (rollback journal)
  page[19] = 1; // file format read version
  page[20] = reserveBytes;
  page[21] = 64; // maximum embedded payload fraction (fixed)
  page[22] = 32; // minimum embedded payload fraction (fixed)
  page[23] = 32; // leaf payload fraction (fixed)
  page.writeUInt32BE(1, 24); // file change counter
  page.writeUInt32BE(1, 28); // database size in pages
  page.writeUInt32BE(4, 44); // schema format number
  page.writeUInt32BE(1, 56); // text encoding: UTF-8
  page.writeUInt32BE(1, 92); // version-valid-for: the change counter above
  page.writeUInt32BE(3_046_000, 96); // SQLite version that wrote it; SQLite rewrites it on the first commit
  // Page 1's b-tree header, after the file header: an empty leaf table (the schema table).
  page[100] = 0x0d;
  page.writeUInt16BE((pageSize - reserveBytes) % 65536, 105); // start of the cell content area: the end of the usable space
  writeFileSync(file, page, { mode: 0o600 });
}
