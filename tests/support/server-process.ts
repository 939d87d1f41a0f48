import { createServer } from 'node:net';
import { TsProcess } from './child-process';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function waitForHealth(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(new URL('/api/health', url))).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`server at ${url} did not come up`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The routing server as a real process on a fixed port and data folder, so it can be killed and restarted. */
export class ServerProcess {
  private process: TsProcess | null = null;
  readonly url: string;

  constructor(readonly port: number, readonly dataDir: string, private readonly customers = 40) {
    this.url = `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    this.process = new TsProcess('src-server/main.ts', ['--port', String(this.port), '--data', this.dataDir, '--customers', String(this.customers)], {
      // Calling hours all day: what outreach offers must not depend on the hour the tests run at.
      HOLDFAST_LOG_LEVEL: 'silent', HOLDFAST_DEMO_AS_OF: '2026-11-20', HOLDFAST_OUTREACH_CALLING_HOURS: '00:00-23:59',
    });
    await waitForHealth(this.url);
  }

  async kill(): Promise<void> {
    await this.process?.killHard();
    this.process = null;
  }

  async stop(): Promise<void> {
    await this.process?.stop();
    this.process = null;
  }
}
