/** The only two IPC channels between the preload and the main process. */
export const IPC_INVOKE_CHANNEL = 'holdfast:invoke';
export const IPC_EVENT_CHANNEL = 'holdfast:event';
