import type { z } from 'zod';
import { changesAvailableSchema } from '@shared/contract/sync';
import {
  callEndedSchema, callLineSchema, callOfferSchema, callRevokedSchema, outreachRevokedSchema, outreachTaskSchema, presenceChangedSchema, supervisorStateSchema,
  type ServerToDesktopEvents,
} from '@shared/contract/server-socket';
import { outcomeRecordSchema } from '@shared/domain/wrap-up';
import type { DeskLogger } from '../desk/logger';
import type { ServerSocket } from './server-socket';

/** Where each push from the server goes, already checked against the contract. */
export interface PushTargets {
  connected(): void;
  disconnected(): void;
  connecting(): void;
  connectFailed(): void;
  offer(offer: z.infer<typeof callOfferSchema>): void;
  callRevoked(push: z.infer<typeof callRevokedSchema>): void;
  callEnded(push: z.infer<typeof callEndedSchema>): void;
  /** The phone line of an accepted call (only with a phone system attached). */
  callLine(push: z.infer<typeof callLineSchema>): void;
  presenceChanged(push: z.infer<typeof presenceChangedSchema>): void;
  /** A malformed feed push is not trusted: null, and the feed is pulled instead. */
  changesAvailable(push: z.infer<typeof changesAvailableSchema> | null): void;
  outreachTask(task: z.infer<typeof outreachTaskSchema>): void;
  outreachRevoked(push: z.infer<typeof outreachRevokedSchema>): void;
  supervisorState(state: z.infer<typeof supervisorStateSchema>): void;
  supervisorOutcome(outcome: z.infer<typeof outcomeRecordSchema>): void;
}

/**
 * Wires the server socket to the desks. Everything from the server is parsed
 * against the contract first: a push that does not match is logged with its
 * event name and the reason, and dropped, never trusted.
 */
export function routePushes(socket: ServerSocket, targets: PushTargets, log: DeskLogger): void {
  const checked = <T>(event: keyof ServerToDesktopEvents, schema: z.ZodType<T>, raw: unknown): T | null => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    log.warn({ event, reason: `${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}` }, 'server push does not match the contract; dropped');
    return null;
  };
  const route = <E extends keyof ServerToDesktopEvents, T>(event: E, schema: z.ZodType<T>, deliver: (payload: T) => void): void => {
    // socket.io's typed listener map cannot express "this event, any payload" generically.
    (socket as unknown as { on(event: string, listener: (raw: unknown) => void): void }).on(event, (raw) => {
      const payload = checked(event, schema, raw);
      if (payload !== null) deliver(payload);
    });
  };

  socket.on('connect', () => targets.connected());
  socket.on('disconnect', () => targets.disconnected());
  socket.io.on('reconnect_attempt', () => targets.connecting());
  socket.on('connect_error', () => targets.connectFailed());
  route('call:offered', callOfferSchema, (offer) => targets.offer(offer));
  route('call:revoked', callRevokedSchema, (push) => targets.callRevoked(push));
  route('call:ended', callEndedSchema, (push) => targets.callEnded(push));
  route('call:line', callLineSchema, (push) => targets.callLine(push));
  route('presence:changed', presenceChangedSchema, (push) => targets.presenceChanged(push));
  socket.on('feed:changed', (raw) => targets.changesAvailable(checked('feed:changed', changesAvailableSchema, raw)));
  route('outreach:offered', outreachTaskSchema, (task) => targets.outreachTask(task));
  route('outreach:revoked', outreachRevokedSchema, (push) => targets.outreachRevoked(push));
  route('supervisor:changed', supervisorStateSchema, (state) => targets.supervisorState(state));
  route('supervisor:outcomeAdded', outcomeRecordSchema, (outcome) => targets.supervisorOutcome(outcome));
}
