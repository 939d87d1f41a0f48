import { z } from 'zod';
import { offerCost, OfferStatusError } from '../offers/offer-learner';
import { sendError } from './http-errors';
import type { RouteDeps } from './routes';
import { defineRoute } from './route-table';

const offerStatusSchema = z.enum(['active', 'paused', 'retired']);
const offerListSchema = z.object({
  offers: z.array(z.object({ id: z.string(), name: z.string(), cost: z.number(), status: offerStatusSchema })),
  guardrails: z.object({ exploration: z.number(), maxCostShare: z.number(), declineCooldownDays: z.number() }),
});

export function offersRoutes({ routing, store }: RouteDeps) {
  return [
    defineRoute({
      method: 'GET', path: '/api/offers', operationId: 'listOffers', tag: 'offers', roles: ['supervisor', 'admin'],
      summary: "The playbook's retention offers with their status (active, paused, retired) and the learner's guardrails",
      responses: { 200: { description: 'Offers', schema: offerListSchema } },
      handler: async () => {
        const playbook = await store.playbook();
        const statuses = await routing.offers.statuses();
        const { exploration, maxCostShare, declineCooldownDays } = routing.offers.config;
        return {
          offers: (playbook?.offers ?? []).map((o) => ({ id: o.id, name: o.name, cost: offerCost(o), status: statuses[o.id] ?? 'active' })),
          guardrails: { exploration, maxCostShare, declineCooldownDays },
        };
      },
    }),
    defineRoute({
      method: 'PUT', path: '/api/offers/:id/status', operationId: 'setOfferStatus', tag: 'offers', roles: ['supervisor', 'admin'],
      summary: 'Pause, retire or reactivate an offer: paused and retired offers are never chosen (a retired one for good)',
      params: z.object({ id: z.string().min(1).max(128) }),
      body: z.object({ status: offerStatusSchema }),
      responses: {
        200: { description: 'The new status', schema: z.object({ offerId: z.string(), status: offerStatusSchema }) },
        404: { description: 'No such offer' },
        409: { description: 'The offer is retired' },
      },
      handler: async ({ params, body, principal, reply }) => {
        try {
          return await routing.offers.setStatus(params.id, body.status, principal?.subject ?? 'unknown');
        } catch (error) {
          if (!(error instanceof OfferStatusError)) throw error;
          return sendError(reply, error.message.startsWith('No offer') ? 404 : 409, error.message.startsWith('No offer') ? 'not_found' : 'conflict', error.message);
        }
      },
    }),
  ];
}
