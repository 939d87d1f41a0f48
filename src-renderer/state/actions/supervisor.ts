import type { MethodInput } from '@shared/contract/desktop-api';
import { bridge } from '../../bridge/bridge';

export const listAgents = () => bridge.invoke('agents.list', {});
export const updateAgent = (input: MethodInput<'agents.update'>) => bridge.invoke('agents.update', input);
export const outcomeBreakdown = () => bridge.invoke('supervisor.breakdown', {});
