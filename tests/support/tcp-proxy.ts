import { createServer, connect, type Server, type Socket } from 'node:net';

/** One proxied connection; `silent` once a blackhole has swallowed any of its bytes. */
interface Link {
  client: Socket;
  upstream: Socket | null;
  silent: boolean;
}

/**
 * A TCP proxy the test controls, with two kinds of network failure:
 * - `cut()` drops every live connection and refuses new ones, as an unplugged
 *   cable would: both ends see the close at once.
 * - `blackhole()` keeps every connection open but silently drops the bytes in
 *   both directions, and passes no FIN or RST either, as a dead Wi-Fi or a
 *   sleeping laptop looks: each end only finds out through its own timeouts.
 * `restore()` lets new connections flow again.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly live = new Set<Link>();
  private mode: 'open' | 'cut' | 'blackhole' = 'open';
  port = 0;

  constructor(private readonly upstreamPort: number, private readonly upstreamHost = '127.0.0.1') {}

  async start(): Promise<string> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return `http://127.0.0.1:${this.port}`;
  }

  cut(): void {
    this.mode = 'cut';
    for (const link of this.live) {
      link.client.destroy();
      link.upstream?.destroy();
    }
    this.live.clear();
  }

  blackhole(): void {
    this.mode = 'blackhole';
    for (const link of this.live) link.silent = true;
  }

  /**
   * New connections flow again. A connection that lived through a blackhole
   * stays silent: the bytes it lost cannot be given back (a real TCP stack
   * would retransmit them, this proxy has acknowledged and dropped them), so
   * resuming it would hand each end a stream with a hole in it. Its ends
   * close it on their own timeouts, as they would after a long outage.
   */
  restore(): void {
    this.mode = 'open';
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: Socket): void {
    if (this.mode === 'cut') {
      client.destroy();
      return;
    }
    // In a blackhole the connection is accepted and then hears nothing, so the
    // client's connect timeout is what fails it (a lost SYN fails it the same way).
    const link: Link = { client, upstream: this.mode === 'blackhole' ? null : connect(this.upstreamPort, this.upstreamHost), silent: this.mode === 'blackhole' };
    this.live.add(link);
    const { upstream } = link;
    const forget = (): void => {
      if (client.destroyed && (upstream?.destroyed ?? true)) this.live.delete(link);
    };
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      if (!from) continue;
      from.on('error', () => from.destroy());
      from.on('data', (chunk) => {
        if (!link.silent) to?.write(chunk);
      });
      // A close crosses a working network (after the bytes before it), not a silent one.
      from.on('end', () => {
        if (!link.silent) to?.end();
      });
      from.on('close', (hadError) => {
        if (!link.silent) {
          if (hadError) to?.destroy();
          else to?.end();
        }
        forget();
      });
    }
  }
}
