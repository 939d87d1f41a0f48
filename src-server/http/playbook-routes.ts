import { z } from 'zod';
import { playbookResponseSchema, publishPlaybookRequestSchema, publishPlaybookResultSchema, scriptFunnelResponseSchema } from '@shared/contract/playbook-http';
import type { RouteDeps } from './routes';
import { defineRoute } from './route-table';

const funnelQuerySchema = z.object({ since: z.iso.datetime().optional() });

/** Supervisors read, publish and measure the playbook; agents get it only through the feed. */
export function playbookRoutes({ playbook, store }: RouteDeps) {
  if (!playbook) return [];
  return [
    defineRoute({
      method: 'GET', path: '/api/playbook', operationId: 'getPlaybook', tag: 'playbook', roles: ['supervisor'],
      summary: 'The current playbook and the list of published versions',
      responses: { 200: { description: 'Playbook (null before any) and versions, newest first', schema: playbookResponseSchema } },
      handler: async () => playbook.current(),
    }),
    defineRoute({
      method: 'PUT', path: '/api/playbook', operationId: 'publishPlaybook', tag: 'playbook', roles: ['supervisor'],
      summary: 'Publish an edited playbook as the next version',
      description: 'The playbook is checked as `npm run playbook:check` checks a file; with any error nothing is stored (422, the problems listed by script and step). '
        + 'baseVersion must be the current version, else 409 (someone published meanwhile). Published versions reach desktops through the change feed.',
      body: publishPlaybookRequestSchema,
      responses: {
        200: { description: 'Published', schema: publishPlaybookResultSchema },
        409: { description: 'A newer version was published since baseVersion', schema: publishPlaybookResultSchema },
        422: { description: 'The playbook has errors', schema: publishPlaybookResultSchema },
      },
      handler: async ({ body, principal, reply }) => {
        // The history names who published by display name, as the supervisor screen shows people.
        const subject = principal?.subject ?? 'unknown';
        const by = (await store.listAgents()).find((a) => a.id === subject)?.displayName ?? subject;
        const result = await playbook.publish(body, by);
        if (result.status === 'invalid') return reply.code(422).send(result);
        if (result.status === 'conflict') return reply.code(409).send(result);
        return result;
      },
    }),
    defineRoute({
      method: 'GET', path: '/api/playbook/funnel', operationId: 'scriptFunnel', tag: 'playbook', roles: ['supervisor'],
      summary: 'Where customers are lost: per script and step, calls that reached it, and of those that stopped there, kept and lost',
      query: funnelQuerySchema,
      responses: { 200: { description: 'One funnel per script', schema: scriptFunnelResponseSchema } },
      handler: async ({ query }) => playbook.funnel(query.since),
    }),
  ];
}
