import { desktopApi, isDesktopMethod, type DesktopEventName, type DesktopMethod, type EventPayload, type InvokeResult, type MethodInput, type MethodOutput } from '@shared/contract/desktop-api';
import type { CallOffer } from '@shared/contract/server-socket';
import type { Change } from '@shared/contract/sync';
import { composeDesks, type DeskOptions, type Desks } from './compose-desks';
import { toDesktopError } from './desk/backend-error';
import { checkedOutput } from './desk/contract-check';
import { DesktopEventBus } from './desk/event-bus';
import { silentLogger, type DeskLogger } from './desk/logger';

export { BackendError } from './desk/backend-error';

export interface DesktopBackendOptions extends DeskOptions {
  log?: DeskLogger;
  /** Check every output and event against the contract (default: under test, or HOLDFAST_CHECK_CONTRACT=1). */
  checkContract?: boolean;
}

/**
 * The desktop backend behind the one typed API the renderer uses: the desks
 * (one per job, each owning its state and its slice of the contract) behind
 * `invoke` and `on`. Host-agnostic: Electron's IPC and the browser-mode web
 * host both call just these two.
 */
export class DesktopBackend {
  private readonly events: DesktopEventBus;
  private readonly desks: Desks;
  private readonly checkContract: boolean;
  private readonly log: DeskLogger;

  constructor(options: DesktopBackendOptions) {
    this.log = options.log ?? silentLogger;
    this.checkContract = options.checkContract ?? (process.env.VITEST !== undefined || process.env.HOLDFAST_CHECK_CONTRACT === '1');
    this.events = new DesktopEventBus(this.log, this.checkContract);
    this.desks = composeDesks(options, this.events, this.log);
  }

  /** Validates the input against the contract, runs the desk's handler, and returns errors as data. */
  async invoke<M extends DesktopMethod>(method: M, input: MethodInput<M>): Promise<InvokeResult<MethodOutput<M>>>;
  async invoke(method: unknown, input: unknown): Promise<InvokeResult<unknown>>;
  async invoke(method: unknown, input: unknown): Promise<InvokeResult<unknown>> {
    if (!isDesktopMethod(method)) return { ok: false, error: { code: 'unknown_method', message: `Unknown method ${String(method)}` } };
    const parsed = desktopApi[method].input.safeParse(input ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { ok: false, error: { code: 'invalid_input', message: `${method}: ${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}` } };
    }
    try {
      const handler = this.desks.handlers[method] as (input: unknown) => Promise<unknown> | unknown;
      const value = await handler(parsed.data);
      return this.checkContract ? checkedOutput(method, value, this.events.violations, this.log) : { ok: true, value };
    } catch (error) {
      return { ok: false, error: toDesktopError(error) };
    }
  }

  on<E extends DesktopEventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Contract violations seen with checks on (tests assert there are none). */
  get contractViolations(): readonly string[] {
    return this.events.violations;
  }

  /** Offer-to-paint times, for the pop benchmark. */
  get popLatenciesMs(): readonly number[] {
    return this.desks.calls.popLatenciesMs;
  }

  /** Hands an offer to the call desk, exactly as the server socket does (tests and benchmarks). */
  receiveOffer(offer: CallOffer): void {
    this.desks.calls.receiveOffer(offer);
  }

  /** Backend-side hook (not part of the UI contract): called with every batch of feed changes applied to the cache. */
  onFeedApplied(listener: (changes: readonly Change[]) => void): () => void {
    return this.desks.session.onFeedApplied(listener);
  }

  async preloadServerInfo(): Promise<void> {
    await this.desks.session.loadDemoUsers();
  }

  async close(): Promise<void> {
    await this.desks.session.logout();
    this.events.close();
  }
}
