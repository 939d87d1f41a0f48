import type { MethodInput } from '@shared/contract/desktop-api';
import { bridge } from '../../bridge/bridge';

export const aiSettings = () => bridge.invoke('ai.settings.get', {});
export const saveAiSettings = (input: MethodInput<'ai.settings.save'>) => bridge.invoke('ai.settings.save', input);
export const testAiConnection = (input: MethodInput<'ai.testConnection'>) => bridge.invoke('ai.testConnection', input);
export const aiAuditList = (input: MethodInput<'ai.audit.list'>) => bridge.invoke('ai.audit.list', input);
export const aiAuditPayload = (id: number) => bridge.invoke('ai.audit.payload', { id });
