import { io } from 'socket.io-client';
import type { DesktopErrorCode, DesktopEventName, DesktopMethod, EventPayload, HoldfastBridge, InvokeResult, MethodInput, MethodOutput } from '@shared/contract/desktop-api';

declare global {
  interface Window {
    /** Set by Electron's preload; absent in browser mode. */
    holdfast?: HoldfastBridge;
  }
}

const SESSION_KEY = 'holdfast.session';

function sessionId(): string {
  let id = sessionStorage.getItem(SESSION_KEY);
  if (!id) {
    id = crypto.randomUUID().replace(/-/g, '');
    sessionStorage.setItem(SESSION_KEY, id);
  }
  return id;
}

/** Browser mode: the same contract, carried to the web host over its local socket. */
function webHostBridge(): HoldfastBridge {
  const socket = io({ path: '/bridge', auth: { session: sessionId() }, transports: ['websocket'] });
  return {
    invoke(method, input) {
      return socket.timeout(30_000).emitWithAck('invoke', method, input).catch(
        (error: unknown): InvokeResult<never> => ({ ok: false, error: { code: 'bridge', message: error instanceof Error ? error.message : String(error) } }),
      );
    },
    on<E extends DesktopEventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const handler = (name: string, payload: unknown): void => {
        if (name === event) listener(payload as EventPayload<E>);
      };
      socket.on('event', handler);
      return () => socket.off('event', handler);
    },
  };
}

export const bridge: HoldfastBridge = window.holdfast ?? webHostBridge();

/** Inside the Electron shell (its preload set the bridge), rather than a browser tab. */
export const inDesktopShell = window.holdfast !== undefined;

export class ApiError extends Error {
  constructor(readonly code: DesktopErrorCode, message: string) {
    super(message);
  }
}

/** Calls the backend and throws on an error result, for code that prefers exceptions. */
export async function call<M extends DesktopMethod>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await bridge.invoke(method, input);
  if (!result.ok) throw new ApiError(result.error.code, result.error.message);
  return result.value;
}
