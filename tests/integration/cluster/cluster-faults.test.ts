import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, tally } from '../../support/cluster-harness';
import type { TsProcess } from '../../support/child-process';
import { countOutcomes, explain, sleep, waitUntil } from './helpers';

/** Desktops on the floor, each a process of its own (a light client speaking the desktop's protocol). */
const DESKTOPS = 50;

/**
 * Three routing nodes (each its own process) on a throwaway PostgreSQL database and their own
 * redis-server, HAProxy in front with the shipped configuration, and 50 light desktops, each its own
 * process. Faults are caused one after another on the same cluster (one start-up for all, to keep CI
 * time down); after each, every call is counted.
 */
describe('routing cluster under faults', () => {
  let cluster: Cluster;
  const swarms: TsProcess[] = [];
  let phones: string[] = [];
  /** The node killed in the first test, starting again while the next tests run (two nodes are enough for them). */
  let restarting: Promise<void> = Promise.resolve();
  const lines = (): Array<Record<string, unknown>> => swarms.flatMap((s) => s.lines);
  const now = (): number => performance.timeOrigin + performance.now();
  /** The longest telephony waited for a call to be taken, since the last test printed it. */
  let slowestPostS = 0;
  const slowestPost = (): number => {
    const slowest = Number(slowestPostS.toFixed(2));
    slowestPostS = 0;
    return slowest;
  };

  beforeAll(async () => {
    cluster = await Cluster.start({ nodes: 3, agents: DESKTOPS });
    // Ten at a time: fifty processes loading at once would starve the nodes of CPU as they start.
    for (let first = 0; first < DESKTOPS; first += 10) {
      swarms.push(...(await Promise.all(cluster.agentIds.slice(first, first + 10).map((agentId) => cluster.swarm([agentId])))));
    }
    phones = await cluster.callers(60);
  }, 300_000);

  afterAll(async () => {
    for (const swarm of swarms) await swarm.killHard();
    await cluster?.close();
  }, 120_000);

  /** Posts `count` calls, one every `gapMs`, running `during(n)` before each; then waits for each to be wrapped up. */
  async function flow(prefix: string, count: number, gapMs: number, during: (n: number) => Promise<void> = async () => undefined): Promise<string[]> {
    const calls: string[] = [];
    const posted: Promise<number>[] = [];
    for (let n = 0; n < count; n++) {
      await during(n);
      const callId = `${prefix}-${n}`;
      calls.push(callId);
      // Telephony reaches any node: mostly through the load balancer, now and then a node directly.
      const alive = cluster.nodes.map((node, i) => (node ? i : -1)).filter((i) => i >= 0);
      const url = n % 5 === 4 && alive.length > 0 ? cluster.nodeUrl(alive[n % alive.length]!) : cluster.lbUrl;
      const postedAt = now();
      posted.push(cluster.postCall(callId, phones[n % phones.length]!, url).then((status) => {
        const tookS = (now() - postedAt) / 1000;
        slowestPostS = Math.max(slowestPostS, tookS);
        if (tookS > 5) console.log(JSON.stringify({ slowPost: callId, s: Number(tookS.toFixed(2)), attempts: cluster.postAttempts.get(callId) }));
        return status;
      }));
      await sleep(gapMs);
    }
    await Promise.all(posted);
    const wrapped = (): Set<string> => new Set(lines().filter((l) => l.ev === 'wrapup').map((l) => String(l.callId)));
    await waitUntil(() => calls.every((id) => wrapped().has(id)), 90_000, `${prefix} calls wrapped up`).catch(async (error: unknown) => {
      await explain(cluster, calls, lines());
      throw error;
    });
    return calls;
  }

  /** 0 lost, 0 offered to two agents at once, none answered twice, every wrap-up applied exactly once. */
  async function expectCounted(calls: readonly string[]): Promise<void> {
    const counted = tally(lines());
    expect(calls.filter((id) => !counted.wrapUps.has(id))).toEqual([]);
    for (const id of counted.doubleOffers) console.error(id, JSON.stringify(lines().filter((l) => l.callId === id)));
    expect(counted.doubleOffers).toEqual([]);
    const twice = [...counted.accepted].filter(([id, agents]) => calls.includes(id) && agents.length !== 1);
    for (const [id] of twice) console.error(id, JSON.stringify(lines().filter((l) => l.callId === id)));
    expect(twice).toEqual([]);
    const refused = calls.filter((id) => (counted.wrapUps.get(id) ?? []).some((w) => w.status !== 'applied' && w.status !== 'duplicate'));
    for (const id of refused) console.error(id, JSON.stringify(lines().filter((l) => l.callId === id)));
    expect(calls.flatMap((id) => counted.wrapUps.get(id) ?? []).filter((w) => w.status !== 'applied' && w.status !== 'duplicate')).toEqual([]);
    const outcomes = await countOutcomes(cluster, calls);
    expect(calls.filter((id) => outcomes.get(id) !== 1)).toEqual([]);
  }

  it('kill -9 of the routing node while calls flow: nothing lost or doubled, failover measured', async () => {
    const before = await cluster.waitForAuthority();
    let killedAt = 0;
    const calls = await flow('K', 200, 40, async (n) => {
      if (n !== 60) return;
      killedAt = now();
      await cluster.killNode(before.index);
    });
    const after = await cluster.waitForAuthority((a) => a.token > before.token);
    expect(after.index).not.toBe(before.index);
    await expectCounted(calls);
    // A node that takes over runs the requests it was waiting to forward: none waits out its patience for an authority.
    expect(calls.filter((id) => cluster.postAttempts.get(id)?.some((attempt) => attempt.includes('no_authority')))).toEqual([]);
    // To the first offer of a call that arrived after the kill (an offer decided just before it may still be delivered after).
    const arrivedAfter = new Set(calls.slice(60));
    const failoverS = (Math.min(...lines().filter((l) => l.ev === 'offer' && arrivedAfter.has(String(l.callId))).map((l) => Number(l.t))) - killedAt) / 1000;
    console.log(JSON.stringify({ test: 'leader-killed', calls: calls.length, failover_s: Number(failoverS.toFixed(2)), slowest_post_s: slowestPost() }));
    expect(failoverS).toBeLessThan(15);
    // The dead node's address refused the followers' forwards: the lease was taken over without waiting for it to run out.
    const earlyTakeover = cluster.history.flatMap((h) => h.process.lines).filter((l) => String(l.msg).includes('refused connections; taken over before it ran out'));
    expect(earlyTakeover).toHaveLength(1);
    restarting = cluster.startNode(before.index);
    restarting.catch(() => undefined);
  }, 150_000);

  it('a routing node paused with SIGSTOP loses its lease and makes no decision that counts after SIGCONT', async () => {
    const before = await cluster.waitForAuthority();
    const paused = before.index;
    await flow('P0', 6, 50);
    const phases: Record<string, number> = {};
    let last = now();
    const phase = (name: string): void => {
      phases[name] = Number(((now() - last) / 1000).toFixed(2));
      last = now();
    };
    cluster.signal(paused, 'SIGSTOP');
    const after = await cluster.waitForAuthority((a) => a.token > before.token, 30_000);
    phase('takeover_s');
    const calls = await flow('P1', 10, 60);
    phase('flow_s');
    // What the paused node decided before it stopped, as the database has it now.
    const decidedBefore = await cluster.pool.query<{ id: string; data: string }>('SELECT id, data FROM calls WHERE fence = $1 ORDER BY id', [before.token]);
    const exitsBefore = cluster.exits.length;
    cluster.signal(paused, 'SIGCONT');
    // It wakes with timers due and work queued: it must find itself fenced off, and end (to come back as a follower).
    await waitUntil(() => cluster.exits.slice(exitsBefore).some((e) => e.node === paused && e.code === 75), 20_000, 'the paused node to end itself');
    phase('fenced_exit_s');
    await flow('P2', 6, 60);
    phase('flow_after_s');
    const decidedAfter = await cluster.pool.query<{ id: string; data: string }>('SELECT id, data FROM calls WHERE fence = $1 ORDER BY id', [before.token]);
    expect(decidedAfter.rows).toEqual(decidedBefore.rows);
    expect((await cluster.authority())?.token).toBe(after.token);
    await expectCounted(calls);
    await cluster.waitReady(paused);
    phase('restarted_s');
    console.log(JSON.stringify({ test: 'paused', ...phases, slowest_post_s: slowestPost() }));
  }, 150_000);

  it('Redis restarted: offers and feed pushes resume, and nothing a desktop saved is lost', async () => {
    const first = await flow('R0', 5, 50);
    await cluster.restartRedis(1500);
    const calls = await flow('R1', 12, 80);
    await expectCounted([...first, ...calls]);
  }, 150_000);

  it('rolling restart of every node under load: nothing lost', async () => {
    // Each node in turn stopped cleanly (SIGTERM: its lease released at once) and started again, while calls keep coming.
    await restarting;
    let rolling = true;
    const restarts = (async () => {
      for (let i = 0; i < 3; i++) {
        await cluster.stopNode(i);
        await cluster.startNode(i);
      }
      rolling = false;
    })();
    const calls: string[] = [];
    for (let batch = 0; rolling || batch === 0; batch++) calls.push(...(await flow(`RR${batch}`, 8, 150)));
    await restarts;
    await expectCounted(calls);
  }, 400_000);
});
