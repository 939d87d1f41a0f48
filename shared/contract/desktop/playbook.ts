import { z } from 'zod';
import { playbookResponseSchema, publishPlaybookResultSchema, scriptFunnelResponseSchema } from '../playbook-http';
import { none } from './shared';

export const playbookMethods = {
  /** Supervisors: the playbook as the server has it, with its versions (an agent gets the server's 403 as an error). */
  'playbook.load': { input: none, output: playbookResponseSchema },
  /** Supervisors: publish an edited playbook on top of baseVersion; the server checks it and answers with problems or the new version. */
  'playbook.publish': {
    input: z.object({ baseVersion: z.number().int().nonnegative(), playbook: z.unknown() }).strict(),
    output: publishPlaybookResultSchema,
  },
  /** Supervisors: per script and step, calls that reached it and of those that stopped there, kept and lost. */
  'playbook.funnel': { input: none, output: scriptFunnelResponseSchema },
} as const;
