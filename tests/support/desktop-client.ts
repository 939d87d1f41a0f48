import type { ConnectionStatus } from '@shared/contract/desktop-api';
import { TsProcess } from './child-process';

export interface Pop {
  callId: string | null;
  customerId: string | null;
  email: string | null;
}

/**
 * Drives a desktop backend running in its own process (tests/support/desktop-process.ts):
 * each question carries a ref, and its answer is the line that comes back with that ref.
 */
export class DesktopClient {
  private nextRef = 0;

  private constructor(readonly username: string, readonly process: TsProcess) {}

  /** Starts the process, which signs in and finishes its cold sync before it says it is ready. */
  static async start(serverUrl: string, dataDir: string, username: string, timeoutMs = 90_000): Promise<DesktopClient> {
    const child = new TsProcess('tests/support/desktop-process.ts', [serverUrl, dataDir, username]);
    const first = await child.waitForLine((l) => l.event === 'ready' || 'error' in l, timeoutMs);
    if ('error' in first) {
      await child.stop();
      throw new Error(`${username}'s desktop did not start: ${String(first.error)}`);
    }
    return new DesktopClient(username, child);
  }

  async ask(command: Record<string, unknown>, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    const ref = `${this.username}-${this.nextRef++}`;
    this.process.send({ ...command, ref });
    const answer = await this.process.waitForLine((l) => l.ref === ref, timeoutMs);
    // Answers are matched by ref, so the ones read can go (a long test would otherwise keep every line).
    this.process.lines.splice(0, this.process.lines.indexOf(answer) + 1);
    if ('error' in answer) throw new Error(`${this.username}: ${String(command.cmd)}: ${String(answer.error)}`);
    return answer;
  }

  async status(): Promise<ConnectionStatus> {
    return (await this.ask({ cmd: 'status' })).status as ConnectionStatus;
  }

  /** Saves one wrap-up in the desktop's cache (its outbox sends it when it can); its id. */
  async saveWrapUp(callId: string, customerId: string, notes = ''): Promise<string> {
    return String((await this.ask({ cmd: 'save', callId, customerId, notes })).saved);
  }

  /** Hands the desktop an offer as if the server had sent it; the pop it shows. */
  async offer(customerId: string, callId: string): Promise<Pop> {
    return (await this.ask({ cmd: 'offer', customerId, callId })).pop as Pop;
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}
