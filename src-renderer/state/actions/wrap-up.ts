import type { MethodInput } from '@shared/contract/desktop-api';
import { bridge } from '../../bridge/bridge';

export const restoreWrapUp = (callId: string) => bridge.invoke('wrapUp.restore', { callId });
export const autosaveWrapUp = (form: MethodInput<'wrapUp.autosave'>) => bridge.invoke('wrapUp.autosave', form);
export const draftWrapUp = (input: MethodInput<'wrapUp.draft'>) => bridge.invoke('wrapUp.draft', input);
/** Saves to the outbox; the call desk's next state clears the pop. */
export const saveWrapUp = (input: MethodInput<'wrapUp.save'>) => bridge.invoke('wrapUp.save', input);
