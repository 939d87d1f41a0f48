import type { MethodInput } from '@shared/contract/desktop-api';
import { bridge } from '../../bridge/bridge';

/** Saved offline first; the call desk's next state shows the edited profile. */
export const editCustomer = (input: MethodInput<'customer.edit'>) => bridge.invoke('customer.edit', input);
