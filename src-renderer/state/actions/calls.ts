import { bridge, call } from '../../bridge/bridge';
import { showActionError } from '../app-store';

/** Answer, decline or hang up; a refusal is shown on the call until its state changes. */
export async function callAction(action: 'accept' | 'reject' | 'hangUp', callId: string): Promise<void> {
  const method = action === 'accept' ? 'call.accept' : action === 'reject' ? 'call.reject' : 'call.hangUp';
  const result = await bridge.invoke(method, { callId });
  if (!result.ok) showActionError(result.error.message);
}

/** The pop is on screen (closes the pop benchmark's offer-to-paint timing). */
export function popPainted(callId: string): void {
  void call('call.popPainted', { callId });
}

/** Moves the call along its script: an answer, the next step (a key may be bound to it), back, or another script. */
export async function scriptAction(
  callId: string,
  move: { kind: 'answer'; answerId: string } | { kind: 'next' } | { kind: 'back' } | { kind: 'switch'; scriptId: string },
): Promise<void> {
  const result = move.kind === 'answer' ? await bridge.invoke('call.scriptAnswer', { callId, answerId: move.answerId })
    : move.kind === 'switch' ? await bridge.invoke('call.scriptSwitch', { callId, scriptId: move.scriptId })
      : await bridge.invoke(move.kind === 'next' ? 'call.scriptNext' : 'call.scriptBack', { callId });
  if (!result.ok) showActionError(result.error.message);
}

/** "Next step" on the script of the call on screen, for a keyboard shortcut; nothing when no call has a script. */
export function scriptNextOnScreen(callId: string | null): void {
  if (callId) void scriptAction(callId, { kind: 'next' });
}
