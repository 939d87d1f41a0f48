/**
 * A desktop backend in its own process, driven over stdin/stdout with JSON
 * lines, so fault tests can kill -9 it mid-write like a real crash.
 *   argv: serverUrl dataDir username
 *   in:  {"cmd":"burst","count":N,"customerIds":[...]} | {"cmd":"status"} | {"cmd":"edit",...} | {"cmd":"customer","id":...}
 *   out: {"event":"ready"} | {"saved":"<wrap-up id>"} | {"status":{...}} | {"customer":{...}} | {"error":"..."}
 */
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { createDesktopBackend } from '../../src-main/services/create-backend';
import { FileKeyProvider } from '../../src-main/services/key-provider';

const [serverUrl, dataDir, username] = process.argv.slice(2);
if (!serverUrl || !dataDir || !username) throw new Error('usage: desktop-process serverUrl dataDir username');

const backend = createDesktopBackend({ serverUrl, dataDir, keys: new FileKeyProvider(join(dataDir, 'cache.key')) });
const out = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`);

let coldSyncSeconds = 0;
// How long the backend's event loop was held at worst during cold sync (offers wait behind it).
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

async function main(): Promise<void> {
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    const login = await backend.invoke('session.login', { username: username!, password: 'demo' });
    if (login.ok) break;
    if (attempt > 100) throw new Error(`login failed: ${login.error.message}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  for (;;) {
    const status = await backend.invoke('status.get', {});
    if (status.ok && status.value.sync.phase === 'ready') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  coldSyncSeconds = (performance.now() - started) / 1000;
  loopDelay.disable();
  out({ event: 'ready' });
  const session = await backend.invoke('session.get', {});
  const agentId = session.ok ? session.value.user?.id : undefined;

  for await (const line of createInterface({ input: process.stdin })) {
    const command = JSON.parse(line) as { cmd: string; count?: number; customerIds?: string[]; id?: string; customerId?: string; field?: string; value?: unknown };
    if (command.cmd === 'burst') {
      const ids = command.customerIds ?? [];
      for (let i = 0; i < (command.count ?? 0); i++) {
        const customerId = ids[i % ids.length]!;
        const saved = await backend.invoke('wrapup.save', {
          callId: `CALL-burst-${agentId}-${i}`, customerId, disposition: i % 3 === 0 ? 'retained' : 'undecided',
          offerId: null, offerOutcome: 'no_offer', notes: `burst ${i}`, summary: '',
        });
        out(saved.ok ? { saved: saved.value.id } : { error: saved.error.message });
      }
      out({ event: 'burst-done' });
    } else if (command.cmd === 'status') {
      const status = await backend.invoke('status.get', {});
      out(status.ok ? { status: status.value } : { error: status.error.message });
    } else if (command.cmd === 'metrics') {
      out({ metrics: { coldSyncSeconds, maxRssMb: process.resourceUsage().maxRSS / 1024, eventLoopMaxMs: loopDelay.max / 1e6, eventLoopP99Ms: loopDelay.percentile(99) / 1e6 } });
    } else if (command.cmd === 'edit') {
      const edited = await backend.invoke('customer.edit', { customerId: command.customerId!, field: command.field as 'email', value: command.value });
      out(edited.ok ? { edited: true } : { error: edited.error.message });
    }
  }
}

process.on('SIGTERM', () => {
  backend.close().finally(() => process.exit(0));
});

main().catch((error: unknown) => {
  out({ error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
