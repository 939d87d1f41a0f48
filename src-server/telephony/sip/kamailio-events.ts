import { z } from 'zod';

const sipCallIdSchema = z.string().min(1).max(512);
const transaction = { tindex: z.number().int().nonnegative(), tlabel: z.number().int().nonnegative() };
/** Which run of Kamailio sent the event (its start time and pid): a new value means it restarted. */
const boot = { boot: z.string().min(1).max(64) };

/**
 * What resources/telephony/kamailio.cfg POSTs to /api/telephony/sip/events,
 * one JSON object per call event.
 */
export const kamailioEventSchema = z.discriminatedUnion('event', [
  // transferOf: the SIP Call-ID of the call this caller was transferred from (a REFER to a queue number); empty for a new call.
  z.object({ event: z.literal('invite'), sipCallId: sipCallIdSchema, ...transaction, ...boot, from: z.string().max(128), queue: z.string().max(128), intent: z.string().max(64), language: z.string().max(16), transferOf: z.string().max(512).optional() }),
  z.object({ event: z.literal('agent_failed'), sipCallId: sipCallIdSchema, ...transaction, ...boot, code: z.union([z.string().max(8), z.number().int()]).optional(), target: z.string().max(512).optional() }),
  z.object({ event: z.enum(['cancel', 'agent_ringing', 'agent_answered', 'queue_timeout']), sipCallId: sipCallIdSchema, ...boot }),
  z.object({ event: z.literal('bye'), sipCallId: sipCallIdSchema, ...boot, by: z.enum(['caller', 'agent']) }),
  // An in-dialog REFER (blind transfer) and who sent it; referTo: the Refer-To URI.
  z.object({ event: z.literal('refer'), sipCallId: sipCallIdSchema, ...boot, by: z.enum(['caller', 'agent']), referTo: z.string().min(1).max(512) }),
]);
export type KamailioEvent = z.infer<typeof kamailioEventSchema>;

/**
 * Whether the event was taken (`applied`), or was a repeat of one already taken (`repeat`: answered 200 all the same).
 * For a REFER, `transfer` tells Kamailio where the caller's new INVITE goes: back to the queue as the same call, or out.
 */
export const kamailioEventResultSchema = z.object({ result: z.enum(['applied', 'repeat', 'ignored']), transfer: z.enum(['queue', 'out']).optional() });
export type KamailioEventResult = z.infer<typeof kamailioEventResultSchema>;

/** The SIP adapter's side of the events route. */
export interface KamailioEventSink {
  receive(event: KamailioEvent): KamailioEventResult;
}

/** Kamailio's answer to GET /holdfast/health. */
export const kamailioHealthSchema = z.object({ boot: z.string().min(1).max(64) });
