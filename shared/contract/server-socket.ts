import { z } from 'zod';
import { agentStatusSchema } from '../domain/agent';
import { callSchema } from '../domain/call';
import type { wrapUpSchema } from '../domain/wrapup';
import { outcomeRecordSchema } from '../domain/wrapup';
import type { changesPageSchema } from './sync';
import type { profileEditSchema } from '../sync/profile-edits';

/**
 * socket.io events between the routing server and a desktop backend.
 * Every payload a peer receives is parsed with these schemas first; a wrong
 * shape is answered with an error ack and changes nothing.
 */

export const callOfferSchema = z.object({
  call: callSchema,
  /** ms since epoch: when the reservation lapses and the call is re-offered. */
  reservationDeadline: z.number(),
  /** How the server resolved the caller, for the pop. */
  match: z.object({
    method: z.string(),
    confidence: z.number().min(0).max(1),
    candidates: z.array(z.object({ customerId: z.string(), confidence: z.number() })),
  }),
});
export type CallOffer = z.infer<typeof callOfferSchema>;

export const supervisorStateSchema = z.object({
  agents: z.array(agentStatusSchema),
  queue: z.array(callSchema),
  outcomes: z.array(outcomeRecordSchema),
  saveRate: z.object({ saves: z.number().int(), attempts: z.number().int() }),
});
export type SupervisorState = z.infer<typeof supervisorStateSchema>;

export const ackErrorSchema = z.object({ ok: z.literal(false), error: z.string(), message: z.string() });
export type AckError = z.infer<typeof ackErrorSchema>;
export type Ack<T> = ({ ok: true } & T) | AckError;

export const presenceRequestSchema = z.object({ presence: z.enum(['available', 'away']) });
export const callRefSchema = z.object({ callId: z.string().min(1).max(64) });
export const pullChangesSchema = z.object({ afterSeq: z.number().int().nonnegative(), limit: z.number().int().positive().max(5000).optional() });
export const wrapUpAckSchema = z.object({ id: z.string(), duplicate: z.boolean() });

/** A batch from a desktop's outbox, in write order. Entries are checked one by one, so one bad entry cannot sink the rest. */
export const outboxBatchSchema = z.object({
  entries: z.array(z.object({ kind: z.enum(['wrapup', 'profile_edit']), payload: z.unknown() })).min(1).max(500),
});
export const outboxResultSchema = z.object({
  id: z.string(),
  status: z.enum(['applied', 'duplicate', 'rejected']),
  message: z.string().optional(),
});
export type OutboxResult = z.infer<typeof outboxResultSchema>;

export interface ServerToDesktopEvents {
  'call:offer': (offer: CallOffer) => void;
  'call:revoked': (payload: { callId: string; reason: 'timeout' | 'abandoned' | 'taken' }) => void;
  'call:ended': (payload: { callId: string }) => void;
  'presence:changed': (payload: { presence: string; since: string }) => void;
  /** A nudge that the change feed moved; the desktop pulls what follows its last seq. */
  'changes:available': (payload: { lastSeq: number }) => void;
  'supervisor:state': (state: SupervisorState) => void;
  'supervisor:outcome': (outcome: z.infer<typeof outcomeRecordSchema>) => void;
}

export interface DesktopToServerEvents {
  'presence:set': (payload: z.input<typeof presenceRequestSchema>, ack: (res: Ack<{ presence: string }>) => void) => void;
  'offer:accept': (payload: z.input<typeof callRefSchema>, ack: (res: Ack<{ callId: string }>) => void) => void;
  'offer:reject': (payload: z.input<typeof callRefSchema>, ack: (res: Ack<{ callId: string }>) => void) => void;
  'call:hangup': (payload: z.input<typeof callRefSchema>, ack: (res: Ack<{ callId: string }>) => void) => void;
  'wrapup:submit': (payload: z.input<typeof wrapUpSchema>, ack: (res: Ack<z.infer<typeof wrapUpAckSchema>>) => void) => void;
  'changes:pull': (payload: z.input<typeof pullChangesSchema>, ack: (res: Ack<z.infer<typeof changesPageSchema>>) => void) => void;
  'outbox:submit': (payload: z.input<typeof outboxBatchSchema>, ack: (res: Ack<{ results: OutboxResult[] }>) => void) => void;
  'profile:edit': (payload: z.input<typeof profileEditSchema>, ack: (res: Ack<{ applied: boolean }>) => void) => void;
  'supervisor:subscribe': (payload: Record<string, never>, ack: (res: Ack<{ state: SupervisorState }>) => void) => void;
}
