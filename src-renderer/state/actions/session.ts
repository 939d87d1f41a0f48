import { bridge, call } from '../../bridge/bridge';

export const login = (username: string, password: string) => bridge.invoke('session.login', { username, password });
export const changePassword = (username: string, password: string, newPassword: string) => bridge.invoke('session.changePassword', { username, password, newPassword });
export const logout = () => void call('session.logout', {});
export const setPresence = (presence: 'available' | 'away') => void call('presence.set', { presence });
