import { z } from 'zod';
import { popViewSchema } from '../pop';
import { callLineSchema, outreachTaskSchema } from '../server-socket';
import { none, ok } from './shared';

export const callPhaseSchema = z.enum(['offered', 'connected', 'wrap_up']);
export type CallPhase = z.infer<typeof callPhaseSchema>;

/** How the last call left the screen: saved, or taken away (with why, when the server said). */
export const callEndSchema = z.object({
  callId: z.string(),
  outcome: z.enum(['saved', 'revoked']),
  /**
   * For 'revoked': the agent rejected it, the offer timed out, the caller hung up, another agent took it,
   * or the agent's phone did not answer (no_answer: it went to the next agent).
   */
  reason: z.enum(['rejected', 'timeout', 'abandoned', 'taken', 'no_answer']).nullable(),
});
export type CallEnd = z.infer<typeof callEndSchema>;

/**
 * The call on this desk, whole. The call desk in the backend is its only
 * owner: every change (ringing, answered, brief arriving, ended, saved) is a
 * new state with a higher version, and the renderer keeps the newest it has
 * seen without working anything out for itself.
 */
export const callStateSchema = z.object({
  /** Bumped on every change, never reset while the app runs. */
  version: z.number().int().nonnegative(),
  current: z
    .object({
      pop: popViewSchema,
      phase: callPhaseSchema,
      /** For an outbound call opened from an outreach task: the task, so its why and why now stay in view. */
      outreach: outreachTaskSchema.nullable(),
      /**
       * The phone line as the phone system reports it, once the agent accepted: ringing on the
       * agent's phone, connected, or ended (and by whom). Null with no phone system attached.
       */
      line: callLineSchema.omit({ callId: true }).nullable().default(null),
    })
    .nullable(),
  last: callEndSchema.nullable(),
});
export type CallState = z.infer<typeof callStateSchema>;
export type CurrentCall = NonNullable<CallState['current']>;

const callRef = z.object({ callId: z.string().min(1) });

export const callMethods = {
  'call.accept': { input: callRef, output: ok },
  'call.reject': { input: callRef, output: ok },
  'call.hangUp': { input: callRef, output: ok },
  'call.current': { input: none, output: callStateSchema },
  /** The renderer painted the pop: closes the offer-to-paint timing of the pop benchmark. */
  'call.popPainted': { input: callRef, output: ok },
  /** The customer's answer at the script's current step: on to the step it leads to (or the end). */
  'call.scriptAnswer': { input: callRef.extend({ answerId: z.string().min(1).max(64) }).strict(), output: ok },
  /** "Next step": the current step's first answer. A key can be bound to it. */
  'call.scriptNext': { input: callRef, output: ok },
  /** One step back, or out of the end of the script. */
  'call.scriptBack': { input: callRef, output: ok },
  /** The agent switches to another script of the playbook; it starts at its first step. */
  'call.scriptSwitch': { input: callRef.extend({ scriptId: z.string().min(1).max(64) }).strict(), output: ok },
} as const;

export const callEvents = {
  'call.changed': callStateSchema,
} as const;
