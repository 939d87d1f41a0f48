import { z } from 'zod';

/**
 * Getting the agent's attention when the window is behind another: a system
 * notification for a call or an outreach task. The desktop shell shows it
 * natively when it can (Electron); `shown: false` tells the page to use the
 * web Notification API instead (browser mode).
 */
export const attentionMethods = {
  'attention.notify': {
    input: z.object({
      kind: z.enum(['call', 'outreach']),
      title: z.string().min(1).max(200),
      body: z.string().max(500),
    }).strict(),
    output: z.object({ shown: z.boolean() }),
  },
} as const;
