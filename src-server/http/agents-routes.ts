import { z } from 'zod';
import { agentRoutingViewSchema, agentsResponseSchema, readyAgentsResponseSchema, updateAgentRequestSchema } from '@shared/contract/server-http';
import type { RouteDeps } from './routes';
import { defineRoute } from './route-table';

const agentParamsSchema = z.object({ id: z.string().min(1).max(64) });

/** Supervisors manage agents' routing attributes; telephony (and the simulator) sees who is ready. */
export function agentsRoutes({ routing }: RouteDeps) {
  return [
    defineRoute({
      method: 'GET', path: '/api/agents', operationId: 'listAgents', tag: 'agents', roles: ['supervisor'],
      summary: 'Agents with languages, skills, capacity, live presence and learnt save rates per segment',
      responses: { 200: { description: 'Every agent', schema: agentsResponseSchema } },
      handler: async () => ({ agents: await routing.agents() }),
    }),
    defineRoute({
      method: 'GET', path: '/api/routing/ready', operationId: 'readyAgents', tag: 'agents', roles: ['telephony', 'supervisor'],
      summary: 'Agents signed in and ready, with the languages and intents routing gives them (ids only, no names)',
      description: 'Ready: a desktop is connected and the agent pressed Go ready (a call may hold them now; the next waits for them). A call reaches one of them when its language and intent are listed for them.',
      responses: { 200: { description: 'Ready agents (none: an empty list)', schema: readyAgentsResponseSchema } },
      handler: async () => ({ agents: await routing.readyAgents() }),
    }),
    defineRoute({
      method: 'PATCH', path: '/api/agents/:id', operationId: 'updateAgent', tag: 'agents', roles: ['supervisor'],
      summary: "Change an agent's languages (with proficiency 1-5), skills or capacity",
      description: 'Takes effect in routing at once; idle time, occupancy, calls and learnt statistics are kept. Desktops get the change through the feed.',
      params: agentParamsSchema,
      body: updateAgentRequestSchema,
      responses: {
        200: { description: 'The agent after the change', schema: agentRoutingViewSchema },
        404: { description: 'No such agent (unknown_agent)' },
        409: { description: 'Capacity below the calls the agent holds now (out_of_order)' },
      },
      handler: async ({ params, body }) => routing.updateAgent(params.id, body),
    }),
  ];
}
