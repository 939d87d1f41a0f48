/**
 * Calls through Kamailio to the agents' phones, end to end.
 *
 *   npm run bench:telephony -- --calls 200 --agents 20 [--hold-ms 200]
 *
 * Real processes and sockets on loopback: Kamailio running
 * resources/telephony/kamailio.cfg, the routing server (SIP adapter, HTTP
 * both ways), one light desktop per agent (a socket.io client that accepts every
 * offer and saves a wrap-up when the call ends), one registered phone per
 * agent and the callers (sip-ua.ts: a few SIP messages over UDP). At most
 * one call per agent is in flight (the agents' first calls `--ramp-ms` apart);
 * each caller holds `--hold-ms` after the answer, then hangs up.
 *
 * setup: from the agent's accept (just before the socket emit) to the INVITE
 * reaching that agent's phone (both clocks are this process's). connected:
 * calls the caller saw answered. misrouted: a call that rang any phone other
 * than that of the agent who accepted it. lost: calls placed that never
 * connected.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { CallOffer } from '@shared/contract/server-socket';
import { DEMO_AGENTS } from '@shared/demo-data/agents';
import { connectAs, emitAck } from '../support/socket-agent';
import { KamailioProcess, sipBinariesMissing } from '../support/sip';
import { openServerStore, storeLocationFor } from '../../src-server/store/open-store';
import { TsProcess } from '../support/child-process';
import { freePort, waitForHealth } from '../support/server-process';
import { makeTempDir } from '../support/temp-dir';
import { percentile, reportBench } from './report';
import { BenchCallers, BenchPhone } from './sip-ua';

const flags = z.object({
  calls: z.coerce.number().int().min(1).default(200),
  agents: z.coerce.number().int().min(1).max(200).default(20),
  'hold-ms': z.coerce.number().int().min(0).default(200),
  'ramp-ms': z.coerce.number().int().min(0).default(50),
}).parse(parseArgs({ options: { calls: { type: 'string' }, agents: { type: 'string' }, 'hold-ms': { type: 'string' }, 'ramp-ms': { type: 'string' } }, strict: true }).values);

const missing = sipBinariesMissing();
if (missing) {
  process.stderr.write(`${missing}\n`);
  process.exit(1);
}

// The routing server in its own process, as in production: the bench's phones and desktops do not share its event loop.
const dataDir = makeTempDir('bench-telephony');
const port = await freePort();
const kamailio = await KamailioProcess.start({ ringMs: 10_000, holdfastPort: port });
const serverProcess = new TsProcess('src-server/main.ts', ['--port', String(port), '--data', dataDir.path, '--customers', String(Math.max(400, flags.calls * 2))], {
  HOLDFAST_LOG_LEVEL: 'silent', HOLDFAST_DEMO_AS_OF: '2026-11-20', HOLDFAST_OUTREACH_BLENDED: '0',
  HOLDFAST_TELEPHONY: 'sip', HOLDFAST_SIP_KAMAILIO_URL: kamailio.url, HOLDFAST_SIP_PROXY: kamailio.sipUri, HOLDFAST_SIP_DOMAIN: '127.0.0.1',
});
const server = { url: `http://127.0.0.1:${port}` };
await waitForHealth(server.url, 120_000);
// Extra agents (beyond the demo floor) are written into the server's own store before it is used by them.
const store = openServerStore(storeLocationFor(undefined, dataDir.path), {});

try {
  // Agents: the demo floor, then more with the same password when asked for more.
  const demo = DEMO_AGENTS.filter((a) => a.role === 'agent').map((a) => a.username);
  const hash = (await (await store).agentByUsername('ava'))!.passwordHash;
  const usernames: string[] = [];
  for (let i = 0; i < flags.agents; i++) {
    if (i < demo.length) usernames.push(demo[i]!);
    else {
      const username = `bench${i}`;
      await (await store).upsertAgent({ id: `B${i}`, username, displayName: `Bench ${i}`, role: 'agent', languages: [{ code: 'en', proficiency: 5 }], skills: [] }, hash);
      usernames.push(username);
    }
  }
  const phones = new Map<string, BenchPhone>();
  for (const username of usernames) {
    const phone = await BenchPhone.start(username, kamailio.sipPort);
    await phone.register();
    phones.set(username, phone);
  }

  const acceptedAt = new Map<string, number>();
  const acceptedBy = new Map<string, string>();
  const sockets = [];
  for (const username of usernames) {
    const agent = await connectAs(server, username);
    const offers = new Map<string, CallOffer>();
    agent.socket.on('call:offered', (offer) => {
      offers.set(offer.call.id, offer);
      acceptedBy.set(offer.call.callerNumber, username);
      acceptedAt.set(offer.call.callerNumber, performance.now());
      agent.socket.emit('call:accept', { callId: offer.call.id }, () => undefined);
    });
    agent.socket.on('call:ended', ({ callId }) => {
      const offer = offers.get(callId);
      const customerId = offer?.call.customerId ?? offer?.match.candidates[0]?.customerId;
      if (!customerId) return;
      void emitAck(agent.socket as never, 'wrapUp:submit', {
        id: randomUUID(), callId, customerId, agentId: agent.agentId, disposition: 'not_retention', offerId: null, offerOutcome: 'no_offer',
        notes: '', summary: '', summaryAuthor: 'agent', createdAt: new Date().toISOString(),
      }).catch(() => undefined);
    });
    const ready = await emitAck(agent.socket as never, 'presence:set', { presence: 'available' });
    if (ready.ok !== true) throw new Error(`${username} could not go ready`);
    sockets.push(agent.socket);
  }

  // Callers: the demo customers' own numbers, one per call, so each call resolves to its customer.
  const page = await (await store).snapshotPage(null, flags.calls * 2);
  const numbers = [...new Set(page.customers.flatMap((c) => c.phones.slice(0, 1)))].slice(0, flags.calls);
  if (numbers.length < flags.calls) throw new Error(`only ${numbers.length} distinct customer numbers for ${flags.calls} calls`);
  const callers = await BenchCallers.start(kamailio.sipPort);

  let connected = 0;
  let next = 0;
  const started = performance.now();
  const worker = async (index: number): Promise<void> => {
    // Agents' first calls arrive over a second or so, not all in the same millisecond.
    await new Promise((r) => setTimeout(r, index * flags['ramp-ms']));
    while (next < numbers.length) {
      const number = numbers[next++]!;
      const call = callers.dial(number);
      try {
        await call.answered;
        connected++;
        await new Promise((r) => setTimeout(r, flags['hold-ms']));
      } catch (error) {
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      } finally {
        call.hangUp();
      }
      // Until the agent's wrap-up is in, the next call would only wait in the queue for them.
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await Promise.all(Array.from({ length: flags.agents }, (_, i) => worker(i)));
  const seconds = (performance.now() - started) / 1000;

  let misrouted = 0;
  const setups: number[] = [];
  for (const number of numbers) {
    const rangAt = [...phones].filter(([, phone]) => phone.rang.has(number)).map(([username]) => username);
    const chosen = acceptedBy.get(number);
    if (!chosen) continue;
    if (rangAt.length !== 1 || rangAt[0] !== chosen) {
      misrouted++;
      continue;
    }
    setups.push(phones.get(chosen)!.rang.get(number)! - acceptedAt.get(number)!);
  }
  setups.sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 10) / 10;
  for (const socket of sockets) socket.disconnect();
  callers.close();
  for (const phone of phones.values()) phone.close();
  reportBench('telephony', {
    calls: numbers.length, connected, misrouted, lost: numbers.length - connected,
    setup_p50_ms: round(percentile(setups, 50)), setup_p95_ms: round(percentile(setups, 95)), setup_max_ms: round(setups.at(-1) ?? Number.NaN),
    agents: flags.agents, hold_ms: flags['hold-ms'], ramp_ms: flags['ramp-ms'], seconds: round(seconds),
  });
} finally {
  await (await store).close();
  await serverProcess.stop();
  dataDir.remove();
  await kamailio.stop();
}
