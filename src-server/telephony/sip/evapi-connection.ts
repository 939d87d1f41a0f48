import { connect, type Socket } from 'node:net';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 2_000;
/** A frame longer than this is not Kamailio talking: the connection is dropped and made again. */
const MAX_FRAME = 1_000_000;

/**
 * A client of Kamailio's evapi module: one TCP connection, netstring framed
 * ("<length>:<payload>,"), kept up with backoff. Netstrings are a few lines
 * to frame and parse, and no maintained npm package does only that, so they
 * are written here.
 */
export class EvapiConnection {
  private socket: Socket | null = null;
  private buffer = Buffer.alloc(0);
  private closed = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly handlers: {
      message(payload: string): void;
      up(): void;
      /** The connection dropped (Kamailio stopped or restarted): what it held in suspense is gone. */
      down(): void;
      warn(message: string): void;
    },
  ) {}

  get connected(): boolean {
    return this.socket !== null;
  }

  start(): void {
    this.open();
  }

  stop(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.destroy();
    this.socket = null;
  }

  /** Sends one message; false when not connected (the caller decides what that means). */
  send(payload: string): boolean {
    if (!this.socket) return false;
    const body = Buffer.from(payload, 'utf8');
    this.socket.write(Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]));
    return true;
  }

  private open(): void {
    if (this.closed) return;
    const socket = connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    let up = false;
    socket.on('connect', () => {
      up = true;
      this.socket = socket;
      this.buffer = Buffer.alloc(0);
      this.retryMs = FIRST_RETRY_MS;
      this.handlers.up();
    });
    socket.on('data', (chunk: Buffer) => this.receive(socket, chunk));
    socket.on('error', () => undefined); // 'close' follows, and retries
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
      if (up && !this.closed) this.handlers.down();
      if (this.closed) return;
      this.retryTimer = setTimeout(() => this.open(), this.retryMs);
      this.retryTimer.unref?.();
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    });
  }

  private receive(socket: Socket, chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) {
        if (this.buffer.length > 12) this.drop(socket, 'a netstring length that does not end');
        return;
      }
      const length = Number(this.buffer.subarray(0, colon).toString('ascii'));
      if (!Number.isInteger(length) || length < 0 || length > MAX_FRAME) return this.drop(socket, 'a bad netstring length');
      const end = colon + 1 + length;
      if (this.buffer.length < end + 1) return;
      if (this.buffer[end] !== 0x2c) return this.drop(socket, 'a netstring without its closing comma');
      const payload = this.buffer.subarray(colon + 1, end).toString('utf8');
      this.buffer = this.buffer.subarray(end + 1);
      this.handlers.message(payload);
    }
  }

  private drop(socket: Socket, why: string): void {
    this.handlers.warn(`evapi: ${why}; reconnecting`);
    this.buffer = Buffer.alloc(0);
    socket.destroy();
  }
}
