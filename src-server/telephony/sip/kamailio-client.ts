import { randomUUID } from 'node:crypto';
import { kamailioHealthSchema } from './kamailio-events';

/**
 * Holdfast's decision on a call Kamailio holds suspended (tindex:tlabel names the INVITE transaction,
 * boot the Kamailio run that holds it: another run answers 410 rather than touch a transaction of its own).
 */
export type KamailioDecision =
  | { action: 'connect'; tindex: number; tlabel: number; boot: string; target: string }
  | { action: 'reject'; tindex: number; tlabel: number; boot: string; code: 480 | 487 };

/**
 * done: Kamailio resumed the transaction; gone: it no longer holds it (the
 * caller hung up, or Kamailio restarted); refused: it would not take the
 * request (a wrong key or a malformed body: retrying cannot help);
 * unreachable: no answer within the retry window.
 */
export type DecisionOutcome = 'done' | 'gone' | 'refused' | 'unreachable';

export interface KamailioClientOptions {
  /** Kamailio's xhttp base URL, e.g. http://127.0.0.1:5071 */
  baseUrl: string;
  /** The telephony key: Kamailio checks it on every request. */
  key: string;
  /** One request's limit. */
  timeoutMs?: number;
  firstBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a decision is retried while Kamailio does not answer. */
  retryForMs?: number;
}

/**
 * Holdfast -> Kamailio over HTTP: decisions POSTed to /holdfast/decision,
 * its health read from /holdfast/health (event_route[xhttp:request] in
 * resources/telephony/kamailio.cfg). Each decision carries an id that stays
 * the same on every retry, and Kamailio answers a repeat without resuming
 * the transaction twice.
 */
export class KamailioClient {
  private readonly timeoutMs: number;
  private readonly firstBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly retryForMs: number;
  private stopped = false;

  constructor(private readonly options: KamailioClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 1_000;
    this.firstBackoffMs = options.firstBackoffMs ?? 50;
    this.maxBackoffMs = options.maxBackoffMs ?? 1_000;
    this.retryForMs = options.retryForMs ?? 5_000;
  }

  stop(): void {
    this.stopped = true;
  }

  /** Sends a decision, retrying with backoff while Kamailio is unreachable or failing (5xx). */
  async decide(decision: KamailioDecision, retryForMs = this.retryForMs): Promise<DecisionOutcome> {
    const body = JSON.stringify({ id: randomUUID(), ...decision });
    const deadline = Date.now() + retryForMs;
    let backoff = this.firstBackoffMs;
    for (;;) {
      const status = await this.post('/holdfast/decision', body);
      if (status !== null && status >= 200 && status < 300) return 'done';
      if (status === 404 || status === 410) return 'gone';
      if (status !== null && status >= 400 && status < 500) return 'refused';
      if (this.stopped || Date.now() + backoff > deadline) return 'unreachable';
      await new Promise((resolve) => setTimeout(resolve, backoff).unref?.());
      backoff = Math.min(backoff * 2, this.maxBackoffMs);
    }
  }

  /** The boot id of the running Kamailio, or null when it does not answer. */
  async health(): Promise<string | null> {
    try {
      const response = await fetch(new URL('/holdfast/health', this.options.baseUrl), {
        headers: { authorization: `Bearer ${this.options.key}` },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) {
        await response.body?.cancel();
        return null;
      }
      const parsed = kamailioHealthSchema.safeParse(await response.json());
      return parsed.success ? parsed.data.boot : null;
    } catch {
      return null;
    }
  }

  /** The HTTP status, or null when there was none (refused, reset, timed out). */
  private async post(path: string, body: string): Promise<number | null> {
    try {
      const response = await fetch(new URL(path, this.options.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.key}` },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.body?.cancel();
      return response.status;
    } catch {
      return null;
    }
  }
}
