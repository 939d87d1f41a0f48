/**
 * `npm run bench:cluster -- --nodes 3 --agents 5000 [--calls 1500] [--swarms 4]`
 *
 * A routing cluster on this machine (tests/support/cluster-harness.ts: throwaway PostgreSQL database,
 * its own redis-server, N node processes, HAProxy with the shipped config) and light desktop clients
 * (tests/support/agent-swarm.ts, several processes) for every agent, connected through HAProxy.
 *
 * - offer_p50_ms / offer_p95_ms: from a call's arrival at a node (telephony posts to the nodes in turn,
 *   so most arrive at a node that does not route and are forwarded) to the offer on the chosen agent's
 *   client, at a steady arrival rate.
 * - decisions_per_s: a burst of calls posted at once; calls offered per second from the first post to the last offer.
 * - failover_s: the routing node killed with kill -9 while calls arrive; from the kill to the first offer of a call
 *   that arrived after it. takeover_s: from the kill to another node taking the lease over on a refused forward
 *   (null: it waited for the lease to run out).
 */
import { parseArgs } from 'node:util';
import { Cluster } from '../support/cluster-harness';
import type { TsProcess } from '../support/child-process';
import { percentile, reportBench } from './report';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '3' },
    agents: { type: 'string', default: '5000' },
    calls: { type: 'string', default: '1500' },
    swarms: { type: 'string', default: '4' },
    rate: { type: 'string', default: '40' },
  },
});
const nodes = Number(values.nodes);
const agents = Number(values.agents);
const steadyCalls = Math.min(Number(values.calls), Math.floor(agents / 3));
const burstCalls = Math.min(Number(values.calls), Math.floor(agents / 3));
const rate = Number(values.rate);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const now = (): number => performance.timeOrigin + performance.now();
const log = (message: string): void => void process.stderr.write(`bench:cluster: ${message}\n`);

log(`starting ${nodes} nodes, ${agents} agents`);
const cluster = await Cluster.start({ nodes, agents, customers: 300, reservationTimeoutMs: 15_000 });
const swarms: TsProcess[] = [];
try {
  const per = Math.ceil(agents / Number(values.swarms));
  const started = performance.now();
  const connecting: Promise<TsProcess>[] = [];
  for (let s = 0; s * per < agents; s++) {
    // Agents stay on their calls for the whole run: each takes one call, so every offer goes to an idle agent.
    connecting.push(cluster.swarm(cluster.agentIds.slice(s * per, (s + 1) * per), { talkMs: 600_000, acceptDelayMs: 10, connectPerSecond: 100 }));
  }
  // Every swarm is stopped at the end, even if another failed to connect.
  const settled = await Promise.allSettled(connecting);
  for (const result of settled) if (result.status === 'fulfilled') swarms.push(result.value);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  log(`${agents} desktops connected through HAProxy in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await sleep(3000);
  const phones = await cluster.callers(300);
  const offers = (): Map<string, number> => {
    const map = new Map<string, number>();
    for (const line of swarms.flatMap((s) => s.lines)) if (line.ev === 'offer' && !map.has(String(line.callId))) map.set(String(line.callId), Number(line.t));
    return map;
  };
  const waitOffered = async (ids: readonly string[], timeoutMs: number): Promise<Map<string, number>> => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const seen = offers();
      if (ids.every((id) => seen.has(id)) || performance.now() > deadline) return seen;
      await sleep(100);
    }
  };
  const post = (callId: string, n: number): { arrived: number; done: Promise<number> } => {
    const arrived = now();
    return { arrived, done: cluster.postCall(callId, phones[n % phones.length]!, cluster.nodeUrl(n % nodes)) };
  };

  // 1. Offer latency at a steady rate.
  log(`steady: ${steadyCalls} calls at ${rate}/s`);
  const arrivals = new Map<string, number>();
  const pending: Promise<number>[] = [];
  for (let n = 0; n < steadyCalls; n++) {
    const id = `S-${n}`;
    const { arrived, done } = post(id, n);
    arrivals.set(id, arrived);
    pending.push(done);
    await sleep(1000 / rate);
  }
  await Promise.all(pending);
  const seen = await waitOffered([...arrivals.keys()], 30_000);
  const latencies = [...arrivals].filter(([id]) => seen.has(id)).map(([id, t]) => seen.get(id)! - t).sort((a, b) => a - b);
  log(`steady: ${latencies.length}/${steadyCalls} offered`);

  // 2. Decisions per second: a burst.
  log(`burst: ${burstCalls} calls at once`);
  const burstIds = Array.from({ length: burstCalls }, (_, n) => `B-${n}`);
  const burstStart = now();
  const queue = [...burstIds.entries()];
  await Promise.all(Array.from({ length: 32 }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await post(next[1], next[0]).done;
  }));
  const burstSeen = await waitOffered(burstIds, 60_000);
  const burstOffered = burstIds.filter((id) => burstSeen.has(id));
  const lastOffer = Math.max(...burstOffered.map((id) => burstSeen.get(id)!));
  const decisionsPerS = burstOffered.length / ((lastOffer - burstStart) / 1000);
  log(`burst: ${burstOffered.length}/${burstCalls} offered`);

  // 3. Failover: kill -9 the authority while calls arrive.
  const authority = await cluster.waitForAuthority();
  const failoverIds: string[] = [];
  let killedAt = 0;
  const failoverPosts: Promise<number>[] = [];
  const remaining = Math.max(0, agents - steadyCalls - burstCalls);
  const failoverCalls = Math.min(200, remaining);
  for (let n = 0; n < failoverCalls; n++) {
    const id = `F-${n}`;
    failoverIds.push(id);
    // To the load balancer: telephony does not know which node routes.
    failoverPosts.push(cluster.postCall(id, phones[n % phones.length]!));
    if (n === 20) {
      killedAt = now();
      await cluster.killNode(authority.index);
      log(`killed the routing node (node${authority.index + 1})`);
    }
    await sleep(50);
  }
  await Promise.all(failoverPosts);
  const failoverSeen = await waitOffered(failoverIds, 60_000);
  // The first offer of a call that arrived after the kill: an offer the dead node had decided and stored just
  // before is still delivered after the kill, and would make the failover look instant.
  const afterKill = failoverIds.slice(21).map((id) => failoverSeen.get(id)).filter((t): t is number => t !== undefined && t > killedAt);
  const failoverS = afterKill.length > 0 ? (Math.min(...afterKill) - killedAt) / 1000 : Number.NaN;
  log(`failover: ${failoverIds.filter((id) => failoverSeen.has(id)).length}/${failoverCalls} calls offered after the kill`);
  // When another node took the lease: it says so (a warning) when the dead node's address refused a forward; else the lease ran out.
  const takeover = cluster.history.flatMap((h) => h.process.lines).find((l) => String(l.msg).includes('taken over before it ran out'));
  const takeoverS = takeover ? Number(((Number(takeover.time) - killedAt) / 1000).toFixed(2)) : null;
  log(takeoverS !== null ? `failover: lease taken over ${takeoverS} s after the kill (the dead node refused a forward)` : 'failover: the dead node\'s lease ran out');

  reportBench('cluster', {
    nodes, agents,
    offer_p50_ms: Number(percentile(latencies, 50).toFixed(1)),
    offer_p95_ms: Number(percentile(latencies, 95).toFixed(1)),
    decisions_per_s: Number(decisionsPerS.toFixed(0)),
    failover_s: Number(failoverS.toFixed(2)),
    takeover_s: takeoverS,
    steady_calls: steadyCalls, steady_offered: latencies.length, burst_calls: burstCalls, burst_offered: burstOffered.length,
    failover_calls: failoverCalls, failover_offered: failoverIds.filter((id) => failoverSeen.has(id)).length,
  });
} finally {
  for (const swarm of swarms) await swarm.killHard();
  await cluster.close();
}
