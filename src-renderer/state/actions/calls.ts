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
