/**
 * A desktop backend in its own process, driven over stdin/stdout with JSON
 * lines, so fault tests can kill -9 it mid-write like a real crash, or put a
 * real network between it and the server.
 *   argv: serverUrl dataDir username
 *   in:  {"cmd":"burst","count":N,"customerIds":[...]} | {"cmd":"status"} | {"cmd":"metrics"}
 *      | {"cmd":"edit","customerId":...,"field":...,"value":...}
 *      | {"cmd":"save","callId":...,"customerId":...,"notes"?:...}     one wrap-up
 *      | {"cmd":"offer","callId":...,"customerId":...}                 a synthetic offer, as the server socket hands one over
 *   out: {"event":"ready"} | {"saved":"<wrap-up id>"} | {"event":"burst-done"} | {"status":{...}} | {"metrics":{...}}
 *      | {"edited":true} | {"pop":{"callId":...,"customerId":...|null,"email":...|null}} | {"error":"..."}
 * A command may carry "ref"; every line it answers with carries the same
 * "ref", so a driver can match answers to questions (tests/support/desktop-client.ts).
 */
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { syntheticOffer } from './desktops';
import { createDesktopBackend } from '../../src-main/services/create-backend';
import { FileKeyProvider } from '../../src-main/services/key-provider';

const [serverUrl, dataDir, username] = process.argv.slice(2);
if (!serverUrl || !dataDir || !username) throw new Error('usage: desktop-process serverUrl dataDir username');

const backend = createDesktopBackend({ serverUrl, dataDir, keys: new FileKeyProvider(join(dataDir, 'cache.key')) });
const out = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`);

/** From the session's start (signed in) to a ready cache; the sign-in before it (the server's password check) is apart. */
let coldSyncSeconds = 0;
let coldSyncCpuSeconds = 0;
let signInSeconds = 0;
const cpuSeconds = (): number => (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1e6;
// How long the backend's event loop was held at worst during cold sync (offers wait behind it).
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

interface Command {
  cmd: string;
  ref?: unknown;
  count?: number;
  customerIds?: string[];
  customerId?: string;
  callId?: string;
  notes?: string;
  field?: string;
  value?: unknown;
}

/** An offer for a known customer, shaped as the server sends one; it needs no server, so it works offline. */
async function main(): Promise<void> {
  const beforeSignIn = performance.now();
  for (let attempt = 0; ; attempt++) {
    const login = await backend.invoke('session.login', { username: username!, password: 'demo' });
    if (login.ok) break;
    if (attempt > 100) throw new Error(`login failed: ${login.error.message}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // The session, and with it the cold sync, begins as the sign-in returns.
  const started = performance.now();
  const cpuAtStart = cpuSeconds();
  // Told, not polled: the moment is exact, and no polling adds to the CPU counted.
  await new Promise<void>((resolve) => {
    const off = backend.on('status.changed', (status) => {
      if (status.sync.phase !== 'ready') return;
      off();
      resolve();
    });
    void backend.invoke('status.get', {}).then((status) => {
      if (status.ok && status.value.sync.phase === 'ready') {
        off();
        resolve();
      }
    });
  });
  coldSyncSeconds = (performance.now() - started) / 1000;
  signInSeconds = (started - beforeSignIn) / 1000;
  // The sync's own CPU (all threads), without loading the code before it.
  coldSyncCpuSeconds = cpuSeconds() - cpuAtStart;
  loopDelay.disable();
  out({ event: 'ready' });
  const session = await backend.invoke('session.get', {});
  const agentId = session.ok ? session.value.user?.id : undefined;

  for await (const line of createInterface({ input: process.stdin })) {
    const command = JSON.parse(line) as Command;
    const reply = (value: object): void => out(command.ref === undefined ? value : { ...value, ref: command.ref });
    if (command.cmd === 'burst') {
      const ids = command.customerIds ?? [];
      for (let i = 0; i < (command.count ?? 0); i++) {
        const customerId = ids[i % ids.length]!;
        const saved = await backend.invoke('wrapUp.save', {
          callId: `CALL-burst-${agentId}-${i % ids.length}`, customerId, disposition: i % 3 === 0 ? 'retained' : 'undecided',
          offerId: null, offerOutcome: 'no_offer', notes: `burst ${i}`, summary: '',
        });
        reply(saved.ok ? { saved: saved.value.id } : { error: saved.error.message });
      }
      reply({ event: 'burst-done' });
    } else if (command.cmd === 'save') {
      const saved = await backend.invoke('wrapUp.save', {
        callId: command.callId!, customerId: command.customerId!, disposition: 'undecided',
        offerId: null, offerOutcome: 'no_offer', notes: command.notes ?? '', summary: '',
      });
      reply(saved.ok ? { saved: saved.value.id } : { error: saved.error.message });
    } else if (command.cmd === 'offer') {
      backend.receiveOffer(syntheticOffer(command.customerId!, command.callId!));
      const current = await backend.invoke('call.current', {});
      const customer = current.ok ? current.value.current?.pop.customer ?? null : null;
      reply(current.ok ? { pop: { callId: current.value.current?.pop.call.id ?? null, customerId: customer?.id ?? null, email: customer?.email ?? null } } : { error: current.error.message });
    } else if (command.cmd === 'status') {
      const status = await backend.invoke('status.get', {});
      reply(status.ok ? { status: status.value } : { error: status.error.message });
    } else if (command.cmd === 'metrics') {
      reply({ metrics: { coldSyncSeconds, coldSyncCpuSeconds, signInSeconds, cpuSeconds: cpuSeconds(), maxRssMb: process.resourceUsage().maxRSS / 1024, eventLoopMaxMs: loopDelay.max / 1e6, eventLoopP99Ms: loopDelay.percentile(99) / 1e6 } });
    } else if (command.cmd === 'edit') {
      const edited = await backend.invoke('customer.edit', { customerId: command.customerId!, field: command.field as 'email', value: command.value });
      reply(edited.ok ? { edited: true } : { error: edited.error.message });
    } else {
      // Answered, so a driver waiting on it fails at once rather than timing out.
      reply({ error: `unknown command ${command.cmd}` });
    }
  }
  // stdin closed: the driver is gone (a test worker that crashed or ended without stopping us); do not linger reconnecting.
  await backend.close();
  process.exit(0);
}

process.on('SIGTERM', () => {
  backend.close().finally(() => process.exit(0));
});

main().catch((error: unknown) => {
  out({ error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
