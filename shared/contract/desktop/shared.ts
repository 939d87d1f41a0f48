import { z } from 'zod';

/** Building blocks every area of the desktop contract uses. */
export const none = z.object({}).strict();
export const ok = z.object({ ok: z.literal(true) });
export const idSchema = z.string().min(1).max(64);
export const callIdSchema = z.string().min(1).max(200);
