import type { z } from 'zod';

/**
 * A JSON value read back from where it was kept (the desktop's cache, the
 * cluster's Redis) and checked against its schema: null when there is none,
 * when it is not JSON, or when it no longer has that shape (an older or newer
 * version wrote it, or something else did). Never trusted unchecked.
 */
export function parseStored<S extends z.ZodType>(text: string | null, schema: S): z.output<S> | null {
  if (text === null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
