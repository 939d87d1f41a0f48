/**
 * What a cold-sync image holds: the desktop cache's own schema
 * (cache-migrations.ts, every index included) with only the tables the
 * server fills. The server writes them with the rows a desktop would write
 * for the same snapshot pages (prepared-rows.ts); the desktop encrypts the
 * file in place, carries its own tables into it and opens it as its cache,
 * deriving its own meta (feed position, clock high-water mark, model
 * summaries) rather than trusting the image's.
 */

/** The server's tables, in the order they are copied. `documents` holds the playbook; model files are re-checked one by one. */
export const IMAGE_TABLES = ['customers', 'customer_phones', 'scores', 'interactions', 'agents', 'documents', 'offer_stats'] as const;
export type ImageTable = (typeof IMAGE_TABLES)[number];

/** The image's meta row naming the feed position it was read at (also in the manifest; the two must agree). */
export const IMAGE_AS_OF_KEY = 'image_as_of_seq';

/**
 * The image's meta row holding the highest field stamp on its profiles,
 * noted by the server as it writes them, so the desktop need not read every
 * profile again to raise its clock (0.35 s on 100,000 customers).
 */
export const IMAGE_CLOCK_HIGH_KEY = 'image_clock_high';

/**
 * Bytes left unused at the end of each image page: what the desktop cache's
 * cipher (AEGIS-256 in SQLite3 Multiple Ciphers) keeps there for each page's
 * nonce and tag. With room already made, encrypting the image is one pass
 * over its pages; without it, SQLite3 Multiple Ciphers rebuilds the whole
 * file to make room (measured on 100,000 customers: about 1 s against 3 s).
 * A test checks the figure against a cache file the cipher wrote.
 */
export const IMAGE_PAGE_RESERVE_BYTES = 64;

/**
 * The image's page size, which an adopted cache keeps: SQLite's largest.
 * Most of what an image costs the desktop is the kernel's, copying pages in
 * and out of files, and that falls with fewer, larger pages. On 100,000
 * customers, encrypting in place took 0.33 s of CPU in 64 KB pages against
 * 0.55 s in 16 KB ones, and four desktops' cold syncs in a row from one
 * server took 1.42-1.54 s against 1.62-2.16 s. (From 4 KB to 16 KB the
 * image had already shrunk from 538 MB to 497 MB, as JSON rows of 1-2 KB
 * left a fifth of many small pages empty; in 64 KB pages it is 485 MB.) The price is in each later write, which logs
 * whole pages: a wrap-up saved in the adopted cache took 0.32 ms (p50)
 * against 0.18 ms, and a pop's reads 0.07 ms against 0.05 ms
 * (npm run bench:image-install).
 */
export const IMAGE_PAGE_SIZE = 65_536;
