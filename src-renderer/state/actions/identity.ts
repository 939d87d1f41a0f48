import type { MethodInput } from '@shared/contract/desktop-api';
import { bridge } from '../../bridge/bridge';

export const findIdentities = (query: string) => bridge.invoke('identity.find', { query });
export const identityCandidates = (callId: string) => bridge.invoke('identity.candidates', { callId });
/** The call desk's next state shows the picked customer. */
export const pickIdentity = (callId: string, customerId: string) => bridge.invoke('identity.pick', { callId, customerId });
export const mergeIdentities = (customerIds: string[]) => bridge.invoke('identity.merge', { customerIds });
export const identityRecords = (customerId: string) => bridge.invoke('identity.records', { customerId });
export const splitIdentity = (input: MethodInput<'identity.split'>) => bridge.invoke('identity.split', input);
