import type { MethodInput } from '@shared/contract/desktop-api';
import { bridge } from '../../bridge/bridge';

/** Admins only: the server refuses anyone else, and its refusal comes back as data. */
export const listAccounts = () => bridge.invoke('accounts.list', {});
export const addAccount = (input: MethodInput<'accounts.add'>) => bridge.invoke('accounts.add', input);
export const setAccountDisabled = (username: string, disabled: boolean) =>
  disabled ? bridge.invoke('accounts.disable', { username }) : bridge.invoke('accounts.enable', { username });
export const resetAccountPassword = (username: string) => bridge.invoke('accounts.resetPassword', { username });
