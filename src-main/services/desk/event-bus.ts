import { EventEmitter } from 'node:events';
import { desktopEvents, type DesktopEventName, type EventPayload } from '@shared/contract/desktop-api';
import type { DeskLogger } from './logger';

/**
 * The backend's events to the UI. With `checkContract` on (tests and
 * development builds) every payload is parsed against its schema first: one
 * that does not match is logged and recorded, and not sent.
 */
export class DesktopEventBus {
  private readonly emitter = new EventEmitter();
  /** Contract violations seen with checks on, for tests to assert none. */
  readonly violations: string[] = [];

  constructor(private readonly log: DeskLogger, private readonly checkContract: boolean) {
    this.emitter.setMaxListeners(50);
  }

  emit<E extends DesktopEventName>(event: E, payload: EventPayload<E>): void {
    if (this.checkContract) {
      const parsed = desktopEvents[event].safeParse(payload);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const reason = `${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}`;
        this.violations.push(`event ${event}: ${reason}`);
        this.log.error({ event, reason }, 'event does not match the contract; not sent');
        return;
      }
    }
    this.emitter.emit(event, payload);
  }

  on<E extends DesktopEventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  close(): void {
    this.emitter.removeAllListeners();
  }
}
