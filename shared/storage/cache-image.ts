/**
 * What a cold-sync image holds: the desktop cache's own schema
 * (cache-migrations.ts, every index included) with only the tables the
 * server fills. The server writes them with the rows a desktop would write
 * for the same snapshot pages (prepared-rows.ts); the desktop copies them
 * into its encrypted cache and derives its own meta (feed position, clock
 * high-water mark, model summaries) rather than trusting the image's.
 */

/** The server's tables, in the order they are copied. `documents` holds the playbook; model files are re-checked one by one. */
export const IMAGE_TABLES = ['customers', 'customer_phones', 'scores', 'interactions', 'agents', 'documents', 'offer_stats'] as const;
export type ImageTable = (typeof IMAGE_TABLES)[number];

/** The image's meta row naming the feed position it was read at (also in the manifest; the two must agree). */
export const IMAGE_AS_OF_KEY = 'image_as_of_seq';
