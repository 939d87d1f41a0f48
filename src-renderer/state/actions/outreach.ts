import { bridge } from '../../bridge/bridge';

/** Opens the outbound call; the call desk's next state shows it, and the outreach desk's drops the task. */
export const acceptOutreach = (taskId: string) => bridge.invoke('outreach.accept', { taskId });
export const skipOutreach = (taskId: string) => bridge.invoke('outreach.skip', { taskId });
export const outreachList = (limit: number) => bridge.invoke('outreach.list', { limit });
