import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, tally } from '../../support/cluster-harness';
import type { TsProcess } from '../../support/child-process';
import { countOutcomes, explain, sleep, waitUntil } from './helpers';

/**
 * Three routing nodes (each its own process) on a throwaway PostgreSQL database and their own
 * redis-server, HAProxy in front, light desktops in two processes. The node that routes is killed
 * with kill -9 while calls flow; then the calls are counted.
 */
describe('routing cluster: the authority killed with kill -9 while calls flow', () => {
  let cluster: Cluster;
  const swarms: TsProcess[] = [];

  beforeAll(async () => {
    cluster = await Cluster.start({ nodes: 3, agents: 12 });
  }, 180_000);

  afterAll(async () => {
    for (const swarm of swarms) await swarm.killHard();
    await cluster?.close();
  });

  it('loses no call, offers none to two agents at once, applies every wrap-up once, and fails over within seconds', async () => {
    swarms.push(await cluster.swarm(cluster.agentIds.slice(0, 6)), await cluster.swarm(cluster.agentIds.slice(6)));
    const phones = await cluster.callers(60);
    expect(phones.length).toBeGreaterThan(10);
    const before = await cluster.waitForAuthority();

    const total = 40;
    const calls: string[] = [];
    const posted: Promise<number>[] = [];
    let killedAt = 0;
    for (let n = 0; n < total; n++) {
      const callId = `K-${n}`;
      calls.push(callId);
      // Telephony reaches any node: the load balancer, and now and then a node directly (not the authority).
      const direct = n % 5 === 4 ? cluster.nodeUrl((before.index + 1) % 3) : cluster.lbUrl;
      posted.push(cluster.postCall(callId, phones[n % phones.length]!, direct));
      if (n === 15) {
        killedAt = performance.timeOrigin + performance.now();
        await cluster.killNode(before.index);
      }
      await sleep(60);
    }
    await Promise.all(posted);
    const after = await cluster.waitForAuthority((a) => a.token > before.token);
    expect(after.index).not.toBe(before.index);

    const lines = () => swarms.flatMap((s) => s.lines);
    await waitUntil(() => new Set(lines().filter((l) => l.ev === 'wrapup').map((l) => String(l.callId))).size >= total, 90_000)
      .catch(async (error: unknown) => {
        await explain(cluster, calls, lines());
        throw error;
      });
    const counted = tally(lines());

    // 0 calls lost: every call was answered and wrapped up.
    expect(calls.filter((id) => !counted.wrapUps.has(id))).toEqual([]);
    // 0 calls offered to two agents at once, none answered by two.
    for (const id of counted.doubleOffers) console.error(id, JSON.stringify(lines().filter((l) => l.callId === id).map((l) => ({ ...l, t: Math.round(Number(l.t) - killedAt) }))));
    expect(counted.doubleOffers).toEqual([]);
    expect([...counted.accepted].filter(([, agents]) => agents.length !== 1)).toEqual([]);
    // Every wrap-up applied exactly once: acked, and one outcome row per call in PostgreSQL.
    expect([...counted.wrapUps.values()].flat().filter((w) => w.status !== 'applied' && w.status !== 'duplicate')).toEqual([]);
    const outcomes = await countOutcomes(cluster, calls);
    expect(calls.filter((id) => outcomes.get(id) !== 1)).toEqual([]);

    // Failover: from the kill to the first offer made after it.
    const firstOfferAfter = Math.min(...lines().filter((l) => l.ev === 'offer' && Number(l.t) > killedAt).map((l) => Number(l.t)));
    const failoverS = (firstOfferAfter - killedAt) / 1000;
    console.log(JSON.stringify({ test: 'leader-killed', calls: total, offers: counted.offers, failover_s: Number(failoverS.toFixed(2)) }));
    expect(failoverS).toBeLessThan(15);
  }, 150_000);
});
