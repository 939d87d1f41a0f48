import { z } from 'zod';
import { playbookSchema, scriptFunnelSchema } from '../domain/playbook';

/** A supervisor publishes an edited playbook on top of the version the editor loaded. */
export const publishPlaybookRequestSchema = z.object({
  /** The version the edit started from (0 when there was no playbook). */
  baseVersion: z.number().int().nonnegative(),
  /** Checked whole by the server (shared/playbook/check) before anything is stored. */
  playbook: z.unknown(),
}).strict();
export type PublishPlaybookRequest = z.infer<typeof publishPlaybookRequestSchema>;

export const playbookProblemSchema = z.object({
  severity: z.enum(['error', 'warning']),
  script: z.string().nullable(),
  step: z.string().nullable(),
  field: z.string(),
  message: z.string(),
});
export type PlaybookProblemView = z.infer<typeof playbookProblemSchema>;

export const playbookVersionInfoSchema = z.object({ version: z.number().int(), publishedAt: z.string(), publishedBy: z.string() });

export const playbookResponseSchema = z.object({
  playbook: playbookSchema.nullable(),
  versions: z.array(playbookVersionInfoSchema),
});
export type PlaybookResponse = z.infer<typeof playbookResponseSchema>;

/** Published, or why not: problems in the playbook (nothing stored), or a newer version published meanwhile. */
export const publishPlaybookResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('published'), playbook: playbookSchema, warnings: z.array(playbookProblemSchema) }),
  z.object({ status: z.literal('invalid'), problems: z.array(playbookProblemSchema) }),
  z.object({ status: z.literal('conflict'), currentVersion: z.number().int() }),
]);
export type PublishPlaybookResult = z.infer<typeof publishPlaybookResultSchema>;

export const scriptFunnelResponseSchema = z.object({ since: z.string(), funnels: z.array(scriptFunnelSchema) });
export type ScriptFunnelResponse = z.infer<typeof scriptFunnelResponseSchema>;
