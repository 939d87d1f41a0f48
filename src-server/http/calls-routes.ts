import { z } from 'zod';
import { callActionResponseSchema, callIdSchema, createCallRequestSchema, createCallResponseSchema, telephonyEventSchema, transferCallRequestSchema } from '@shared/contract/server-http';
import { ServiceError } from '../routing/service-errors';
import type { RouteDeps } from './routes';
import { defineRoute } from './route-table';

const callParamsSchema = z.object({ id: callIdSchema });
const CALL_ERRORS = {
  404: { description: 'Unknown call (unknown_call)' },
  409: { description: 'The call is not in a state for this (out_of_order), or was already received (duplicate_call)' },
};

/** Telephony's side of a call: arrival, end, abandonment and transfer. */
export function callsRoutes({ routing, telephony }: RouteDeps) {
  return [
    defineRoute({
      method: 'POST', path: '/api/calls', operationId: 'createCall', tag: 'calls', roles: ['telephony', 'supervisor'],
      summary: 'A call arrives: resolve the caller and queue it for routing',
      description: 'The caller is resolved by phone (and account); their churn risk, CLV and value at risk become the routing attributes; the intent sets the required skills.',
      body: createCallRequestSchema,
      responses: { 201: { description: 'Queued', schema: createCallResponseSchema }, 409: CALL_ERRORS[409] },
      handler: async ({ body, reply }) => {
        const call = await routing.createCall(body);
        return reply.code(201).send({ callId: call.id, customerId: call.customerId, state: call.state });
      },
    }),
    defineRoute({
      method: 'POST', path: '/api/calls/:id/end', operationId: 'endCall', tag: 'calls', roles: ['telephony', 'supervisor', 'agent'],
      summary: 'The call ended: abandoned if nobody answered yet, otherwise the agent moves to wrap-up',
      params: callParamsSchema,
      responses: { 200: { description: 'The call after the end', schema: callActionResponseSchema }, ...CALL_ERRORS },
      handler: async ({ params, principal }) => {
        const call = routing.router.call(params.id);
        if (principal?.role === 'agent' && call && call.agentId !== principal.subject) throw new ServiceError('forbidden', 'Not your call');
        const ended = routing.endCall(params.id);
        return { callId: ended.id, state: ended.state };
      },
    }),
    defineRoute({
      method: 'POST', path: '/api/calls/:id/abandon', operationId: 'abandonCall', tag: 'calls', roles: ['telephony', 'supervisor'],
      summary: 'The caller hung up before an agent answered',
      params: callParamsSchema,
      responses: { 200: { description: 'Abandoned', schema: callActionResponseSchema }, ...CALL_ERRORS },
      handler: async ({ params }) => {
        const call = routing.abandonCall(params.id);
        return { callId: call.id, state: call.state };
      },
    }),
    defineRoute({
      method: 'POST', path: '/api/calls/:id/transfer', operationId: 'transferCall', tag: 'calls', roles: ['telephony', 'supervisor', 'agent'],
      summary: 'Send a connected call back to the queue, away from its agent, optionally to another language or skill',
      params: callParamsSchema,
      body: transferCallRequestSchema,
      responses: { 200: { description: 'Back in the queue (or already offered to the next agent)', schema: callActionResponseSchema }, ...CALL_ERRORS },
      handler: async ({ params, body, principal }) => {
        const call = routing.transferCall(params.id, body, principal?.role === 'agent' ? principal.subject : undefined);
        return { callId: call.id, state: call.state };
      },
    }),
    defineRoute({
      method: 'POST', path: '/api/calls/:id/events', operationId: 'callEvent', tag: 'calls', roles: ['telephony'],
      summary: "The phone system reports a call event: the agent's phone ringing, answered, not answered; the call ended, abandoned or transferred",
      description: 'no_answer, busy, rejected and failed send the call on to the next agent. ended before an answer (or while the agent\'s phone still rings) abandons the call; after it, the agent moves to wrap-up and their desktop shows who hung up.',
      params: callParamsSchema,
      body: telephonyEventSchema,
      responses: { 200: { description: 'The call after the event', schema: callActionResponseSchema }, ...CALL_ERRORS },
      handler: async ({ params, body }) => {
        const call = telephony.event(params.id, body);
        return { callId: call.id, state: call.state };
      },
    }),
  ];
}
