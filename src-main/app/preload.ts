import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from './ipc-channels';
import { createPreloadBridge } from './preload-bridge';

// Sandboxed preload: bundled to one CommonJS file that requires only 'electron'.
const bridge = createPreloadBridge({
  invoke: (method, input) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, input),
  subscribe(listener) {
    // The IpcRendererEvent stays here: it carries `sender`, i.e. ipcRenderer itself.
    const forward = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => listener(name, payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
    };
  },
});

contextBridge.exposeInMainWorld('holdfast', bridge);
