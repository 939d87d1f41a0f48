import {
  isDesktopEvent, isDesktopMethod,
  type DesktopErrorCode, type DesktopEventName, type DesktopMethod, type EventPayload, type HoldfastBridge, type InvokeResult, type MethodInput, type MethodOutput,
} from '@shared/contract/desktop-api';

/** What the preload hands the bridge: ipcRenderer, reduced to the two things the bridge needs. */
export interface PreloadTransport {
  invoke(method: string, input: unknown): Promise<unknown>;
  /** Delivers every backend event as (name, payload); returns a function that stops delivery. */
  subscribe(listener: (event: unknown, payload: unknown) => void): () => void;
}

interface Subscription {
  event: DesktopEventName;
  listener: (payload: never) => void;
}

function failure(code: DesktopErrorCode, message: string): InvokeResult<never> {
  return { ok: false, error: { code, message } };
}

/**
 * The object exposed to the page as `window.holdfast`: exactly the two
 * members of `HoldfastBridge`, frozen. Names outside the contract are refused
 * here, before anything crosses to the main process, and nothing of
 * ipcRenderer (or its event objects) reaches the page.
 */
export function createPreloadBridge(transport: PreloadTransport): HoldfastBridge {
  const subscriptions = new Set<Subscription>();
  let stopTransport: (() => void) | null = null;

  const dispatch = (event: unknown, payload: unknown): void => {
    if (!isDesktopEvent(event)) return;
    for (const subscription of [...subscriptions]) {
      if (subscription.event !== event) continue;
      try {
        (subscription.listener as (payload: unknown) => void)(payload);
      } catch (error) {
        // One faulty listener must not keep the event from the others.
        console.error(`holdfast: a listener for ${event} failed`, error);
      }
    }
  };

  const invokeChecked = async (method: unknown, input: unknown): Promise<InvokeResult<unknown>> => {
    if (!isDesktopMethod(method)) return failure('unknown_method', `Unknown method ${String(method)}`);
    try {
      // The main process validates the input and shapes the result against the contract.
      return (await transport.invoke(method, input)) as InvokeResult<unknown>;
    } catch (error) {
      return failure('ipc', error instanceof Error ? error.message : String(error));
    }
  };

  const bridge: HoldfastBridge = {
    invoke<M extends DesktopMethod>(method: M, input: MethodInput<M>): Promise<InvokeResult<MethodOutput<M>>> {
      return invokeChecked(method, input) as Promise<InvokeResult<MethodOutput<M>>>;
    },
    on<E extends DesktopEventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      if (!isDesktopEvent(event)) throw new TypeError(`Unknown event ${String(event)}`);
      if (typeof listener !== 'function') throw new TypeError('The listener must be a function');
      // One transport subscription shared by all listeners, held only while someone listens.
      const subscription: Subscription = { event, listener };
      subscriptions.add(subscription);
      stopTransport ??= transport.subscribe(dispatch);
      return () => {
        if (!subscriptions.delete(subscription)) return;
        if (subscriptions.size === 0 && stopTransport) {
          stopTransport();
          stopTransport = null;
        }
      };
    },
  };
  return Object.freeze(bridge);
}
