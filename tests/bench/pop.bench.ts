import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { CallOffer } from '@shared/contract/server-socket';
import { startRoutingServer } from '../../src-server/routing-server';
import { startBrowserMode } from '../../src-main/web-host/browser-mode';
import { launchBrowser } from '../support/browser';
import { makeTempDir } from '../support/temp-dir';
import { percentile, reportBench } from './report';

/**
 * `npm run bench:pop -- --customers 100000 [--pops 300]`
 * Time from an offer reaching the desktop backend to the pop painted in
 * Chromium (the renderer reports after the frame that shows profile, risk and
 * script), with the whole book of customers in the local cache.
 */
const { values } = parseArgs({ options: { customers: { type: 'string', default: '100000' }, pops: { type: 'string', default: '300' } } });
const customers = Number(values.customers);
const pops = Number(values.pops);

const serverDir = makeTempDir('bench-pop-server');
const desktopDir = makeTempDir('bench-pop-desktop');
const log = (message: string): void => void process.stderr.write(`${message}\n`);

try {
  let started = Date.now();
  log(`seeding ${customers} customers…`);
  const server = await startRoutingServer({ port: 0, dataDir: serverDir.path, demoCustomers: customers, demoAsOf: '2026-11-20', logLevel: 'warn' });
  log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const web = await startBrowserMode({ serverUrl: server.url, dataDir: desktopDir.path, rendererDir: resolve(import.meta.dirname, '../../dist/renderer'), port: 0 });
  const browser = await launchBrowser();
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.goto(web.url);
  await page.locator('button.demo-user[data-username="ava"]').click();
  started = Date.now();
  await page.locator('[data-testid="connection-state"]', { hasText: 'Online' }).waitFor({ timeout: 120_000 });
  const backend = [...web.backends.values()][0];
  if (!backend) throw new Error('no desktop backend session');
  // Wait for the cold sync to finish: the whole book is in the cache.
  for (;;) {
    const status = await backend.invoke('status.get', {});
    if (status.ok && status.value.sync.phase === 'ready') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`cold sync of ${customers} customers into the desktop cache: ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const callers = await server.store.sampleCallers(pops);
  const ids = await Promise.all(callers.map(async (c) => (await server.store.customerIdsByPhone(c.phone))[0] ?? null));
  for (let i = 0; i < pops; i++) {
    const customerId = ids[i % ids.length] ?? null;
    const offer: CallOffer = {
      call: {
        id: `BENCH-${i}`, callerNumber: callers[i % callers.length]?.phone ?? '+10000000000', accountId: null, language: 'en', intent: 'cancellation',
        customerId, state: 'offered', agentId: 'A001', createdAt: new Date().toISOString(), answeredAt: null, endedAt: null, priority: 0,
      },
      reservationDeadline: Date.now() + 15_000,
      match: { method: 'phone', confidence: 0.9, candidates: customerId ? [{ customerId, confidence: 0.9 }] : [] },
    };
    const before = backend.popLatenciesMs.length;
    backend.receiveOffer(offer);
    const deadline = Date.now() + 5000;
    while (backend.popLatenciesMs.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    await page.locator(`[data-testid="call-pop"][data-call-id="BENCH-${i}"] [data-testid="risk"]`).waitFor({ timeout: 5000 });
  }
  const sorted = [...backend.popLatenciesMs].sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 100) / 100;
  await browser.close();
  await web.close();
  await server.close();
  reportBench('pop', { customers, pops: sorted.length, p50_ms: round(percentile(sorted, 50)), p95_ms: round(percentile(sorted, 95)), p99_ms: round(percentile(sorted, 99)) });
} finally {
  serverDir.remove();
  desktopDir.remove();
}
