import type { MethodInput } from '@shared/contract/desktop-api';
import { bridge } from '../../bridge/bridge';

export const loadPlaybook = () => bridge.invoke('playbook.load', {});
export const publishPlaybook = (input: MethodInput<'playbook.publish'>) => bridge.invoke('playbook.publish', input);
export const scriptFunnel = () => bridge.invoke('playbook.funnel', {});
