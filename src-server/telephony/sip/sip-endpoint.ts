import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { cseqOf, headerOf, headersOf, paramOf, parseSipMessage, writeRequest, writeResponse, type SipHeaders, type SipRequest, type SipResponse } from './sip-message';

/** RFC 3261 timer T1 (round-trip estimate) and the 64*T1 limit of a client transaction. */
const T1_MS = 500;
const T2_MS = 4_000;
const TRANSACTION_MS = 64 * T1_MS;

export const randomToken = (): string => randomBytes(8).toString('hex');

export interface ClientTransaction {
  readonly branch: string;
  readonly via: string;
  /** Sends CANCEL for a pending INVITE (same branch, RFC 3261 section 9.1). */
  cancel(): void;
}

interface PendingTransaction {
  method: string;
  retransmit: ReturnType<typeof setTimeout> | null;
  deadline: ReturnType<typeof setTimeout>;
  onResponse(response: SipResponse): void;
}

/**
 * Holdfast's SIP user agent on UDP: every request goes to Kamailio (the
 * outbound proxy), responses are matched to their client transaction by the
 * Via branch, requests are retransmitted over UDP (timers A and E) until
 * answered, and a transaction with no final answer in 32 s ends with a
 * locally made 408. Requests from the phones (BYE) are handed to `onRequest`.
 */
export class SipEndpoint {
  private socket: Socket | null = null;
  private readonly pending = new Map<string, PendingTransaction>();
  private port = 0;

  constructor(
    private readonly options: { listenHost: string; listenPort: number; proxyHost: string; proxyPort: number },
    private readonly onRequest: (request: SipRequest, reply: (status: number, reason: string, headers?: SipHeaders, body?: string) => void) => void,
    private readonly warn: (message: string) => void,
  ) {}

  /** host:port of this endpoint, as written into Via and Contact. */
  get hostPort(): string {
    return `${this.options.listenHost}:${this.port}`;
  }

  async start(): Promise<void> {
    const socket = createSocket(this.options.listenHost.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.options.listenPort, this.options.listenHost, () => resolve());
    });
    socket.on('error', (error) => this.warn(`SIP socket: ${error.message}`));
    socket.on('message', (data) => this.receive(data));
    this.port = socket.address().port;
    this.socket = socket;
  }

  stop(): void {
    for (const tx of this.pending.values()) {
      if (tx.retransmit) clearTimeout(tx.retransmit);
      clearTimeout(tx.deadline);
    }
    this.pending.clear();
    this.socket?.close();
    this.socket = null;
  }

  /**
   * Starts a client transaction. `headers` are everything but Via, Max-Forwards
   * and Content-Length; `onResponse` gets every response, provisional and final.
   */
  request(method: string, uri: string, headers: SipHeaders, body: string, onResponse: (response: SipResponse) => void, sameBranchAs?: string): ClientTransaction {
    const branch = sameBranchAs ?? `z9hG4bK${randomToken()}`;
    const via = `SIP/2.0/UDP ${this.hostPort};branch=${branch};rport`;
    const key = `${branch} ${method}`;
    const data = writeRequest(method, uri, [['via', via], ['max-forwards', '70'], ...headers], body);
    const invite = method === 'INVITE';
    const tx: PendingTransaction = {
      method,
      retransmit: null,
      deadline: setTimeout(() => this.timedOut(key), TRANSACTION_MS),
      onResponse,
    };
    tx.deadline.unref?.();
    let interval = T1_MS;
    const resend = (): void => {
      this.send(data);
      tx.retransmit = setTimeout(resend, interval);
      tx.retransmit.unref?.();
      interval = invite ? interval * 2 : Math.min(interval * 2, T2_MS);
    };
    this.pending.set(key, tx);
    resend();
    const cseq = headers.find(([n]) => n === 'cseq')?.[1]?.split(' ')[0] ?? '1';
    const keep = (name: string): SipHeaders => headers.filter(([n]) => n === name);
    return {
      branch,
      via,
      cancel: () => {
        if (!this.pending.has(key)) return;
        this.request('CANCEL', uri, [...keep('route'), ...keep('from'), ...keep('to'), ...keep('call-id'), ['cseq', `${cseq} CANCEL`]], '', () => undefined, branch);
      },
    };
  }

  /** Sends a request outside any transaction (ACK). */
  sendRaw(method: string, uri: string, headers: SipHeaders, body = '', via?: string): Buffer {
    const data = writeRequest(method, uri, [['via', via ?? `SIP/2.0/UDP ${this.hostPort};branch=z9hG4bK${randomToken()};rport`], ['max-forwards', '70'], ...headers], body);
    this.send(data);
    return data;
  }

  send(data: Buffer): void {
    this.socket?.send(data, this.options.proxyPort, this.options.proxyHost);
  }

  private receive(data: Buffer): void {
    let message;
    try {
      message = parseSipMessage(data);
    } catch (error) {
      this.warn(`unreadable SIP message: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (message.kind === 'request') {
      this.onRequest(message, (status, reason, headers = [], body = '') => {
        // A response goes back the way the request came: to the proxy, with the request's Vias (RFC 3261 section 8.2.6).
        const to = headerOf(message, 'to') ?? '';
        const tagged = status > 100 && !paramOf(to, 'tag') ? `${to};tag=${randomToken()}` : to;
        this.send(writeResponse(status, reason, [
          ...headersOf(message, 'via').map((v): [string, string] => ['via', v]),
          ['from', headerOf(message, 'from') ?? ''], ['to', tagged], ['call-id', headerOf(message, 'call-id') ?? ''], ['cseq', headerOf(message, 'cseq') ?? ''],
          ...headers,
        ], body));
      });
      return;
    }
    const branch = paramOf(headerOf(message, 'via') ?? '', 'branch');
    let method: string;
    try {
      method = cseqOf(message).method;
    } catch {
      return;
    }
    const key = `${branch ?? ''} ${method}`;
    const tx = this.pending.get(key);
    if (!tx) {
      // A 2xx to an INVITE is retransmitted until its ACK: the dialog layer re-sends it (not a transaction's job).
      this.onStray?.(message);
      return;
    }
    // Any answer stops an INVITE's retransmissions; only a final one stops a non-INVITE's.
    if (tx.retransmit && (tx.method === 'INVITE' || message.status >= 200)) {
      clearTimeout(tx.retransmit);
      tx.retransmit = null;
    }
    // Timer B only waits for a first answer: once an INVITE rings, the proxy's own ring limit ends it.
    if (message.status >= 200 || tx.method === 'INVITE') clearTimeout(tx.deadline);
    if (message.status >= 200) this.pending.delete(key);
    tx.onResponse(message);
  }

  /** Responses that match no open transaction (retransmitted 2xx of an INVITE). */
  onStray: ((response: SipResponse) => void) | null = null;

  private timedOut(key: string): void {
    const tx = this.pending.get(key);
    if (!tx) return;
    if (tx.retransmit) clearTimeout(tx.retransmit);
    this.pending.delete(key);
    tx.onResponse({ kind: 'response', status: 408, reason: 'Request Timeout (no answer)', headers: [], body: '' });
  }
}
