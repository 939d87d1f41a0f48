/**
 * Routing decision latency and throughput at scale.
 *
 *   npm run bench:routing -- --agents 10000 --waiting 2000 [--decisions 20000] [--seed 1] [--busy-share 0.8]
 *
 * Setup (not timed): N agents log in (1-3 of 6 languages, 2-4 of 8 skills),
 * 300,000 outcomes teach the predictive policy, then calls arrive until every
 * agent who can be busy is busy and W calls wait.
 * Measured loop: a random connected call ends, its agent finishes wrap-up
 * (the agent becomes free: the engine picks a waiting call for it), and a new
 * call arrives (the engine queues it, or offers it to an eligible free agent),
 * keeping about W calls waiting. Offers are accepted and connected at once.
 * With --waiting 0 the other path is measured: only --busy-share of agents
 * are on calls, every arrival is offered to the best of the free agents.
 * A "decision" is one reservation; its latency is the time of the router.apply
 * call that produced it (zod validation included), divided by the decisions
 * that call made. decisions_per_s = decisions / time spent in the events that
 * can produce decisions (agent freed, call arrived).
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { Language } from '@shared/domain/language';
import { createRouter, type Reservation, type Router, type RoutingEventInput } from '@shared/routing';
import { createRandom } from '@shared/util/random';
import { percentile, reportBench } from './report';

const flags = z
  .object({
    agents: z.coerce.number().int().min(1).default(10_000),
    waiting: z.coerce.number().int().min(0).default(2_000),
    decisions: z.coerce.number().int().min(100).default(20_000),
    seed: z.coerce.number().int().default(1),
    'busy-share': z.coerce.number().min(0).max(0.99).default(0.8),
  })
  .safeParse(
    parseArgs({
      options: {
        agents: { type: 'string' },
        waiting: { type: 'string' },
        decisions: { type: 'string' },
        seed: { type: 'string' },
        'busy-share': { type: 'string' },
      },
      strict: true,
    }).values,
  );
if (!flags.success) {
  process.stderr.write(`bench:routing: ${flags.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n`);
  process.exit(2);
}
const { agents: agentCount, waiting: waitingTarget, decisions: decisionTarget, seed, 'busy-share': busyShare } = flags.data;

const random = createRandom(`bench-routing:${seed}`);
const LANGUAGES: Language[] = ['en', 'he', 'ru', 'ar', 'es', 'zh'];
const LANGUAGE_WEIGHTS = [0.45, 0.2, 0.12, 0.1, 0.08, 0.05];
const SKILLS = ['billing', 'tech', 'sales', 'securities', 'mortgage', 'cards', 'loans', 'vip'];
const SEGMENTS = ['low', 'mid', 'high'].flatMap((tier) => ['low', 'medium', 'high'].flatMap((band) => ['new', 'tenured'].map((t) => `${tier}/${band}/${t}`)));

const router: Router = createRouter({ defaultQueue: { policy: 'predictive', baselineShare: 0.1 } });
const connected: Array<{ callId: string; agentId: string; segment: string }> = [];
const segmentOf = new Map<string, string>();
let callCounter = 0;
/** Calls waiting: arrivals minus offers (nothing is rejected or abandoned here); router.stats() is O(calls), too slow to ask every step. */
let waitingNow = 0;
let now = Date.UTC(2024, 0, 1);

function agentLogin(i: number): RoutingEventInput {
  const languages: Partial<Record<Language, number>> = {};
  const count = random.int(1, 3);
  while (Object.keys(languages).length < count) languages[random.weighted(LANGUAGES, LANGUAGE_WEIGHTS)] = random.int(3, 5);
  const skills = new Set<string>();
  const skillCount = random.int(2, 4);
  while (skills.size < skillCount) skills.add(random.pick(SKILLS));
  return { type: 'agentLogin', agentId: `agent-${i}`, languages, skills: [...skills], capacity: 1 };
}

function newCall(): RoutingEventInput {
  const callId = `call-${callCounter++}`;
  waitingNow++;
  const segment = random.pick(SEGMENTS);
  segmentOf.set(callId, segment);
  const churnRisk = random.next();
  const clv = Math.round(Math.exp(random.normal(7.5, 0.9)));
  return {
    type: 'callArrived',
    callId,
    language: random.weighted(LANGUAGES, LANGUAGE_WEIGHTS),
    intent: 'retention',
    requiredSkills: random.chance(0.5) ? [] : [random.pick(SKILLS)],
    customerId: `cust-${callCounter}`,
    segment,
    churnRisk,
    clv,
    valueAtRisk: clv * churnRisk,
    arrivedAt: now,
  };
}

/** Accept and connect every offer at once (untimed: that is the agent's desktop, not routing). */
function takeOffers(decisions: readonly Reservation[]): void {
  waitingNow -= decisions.length;
  for (const d of decisions) {
    router.apply({ type: 'offerAccepted', callId: d.callId, agentId: d.agentId }, now);
    router.apply({ type: 'callConnected', callId: d.callId, agentId: d.agentId }, now);
    connected.push({ callId: d.callId, agentId: d.agentId, segment: segmentOf.get(d.callId) ?? SEGMENTS[0] ?? 'x' });
  }
}

// ---- setup ------------------------------------------------------------------
const setupStarted = performance.now();
for (let i = 0; i < agentCount; i++) takeOffers(router.apply(agentLogin(i), now).decisions);
for (let i = 0; i < 300_000; i++) {
  router.recordOutcome({ agentId: `agent-${random.int(0, agentCount - 1)}`, segment: random.pick(SEGMENTS), saved: random.chance(0.4) });
}
if (waitingTarget > 0) {
  while (waitingNow < waitingTarget) {
    now += 10;
    takeOffers(router.apply(newCall(), now).decisions);
  }
} else {
  // Arrival path: fill only part of the floor; calls nobody free can take are abandoned to keep the queue empty.
  while (connected.length < busyShare * agentCount) {
    now += 10;
    const call = newCall();
    const offered = router.apply(call, now).decisions;
    takeOffers(offered);
    if (offered.length === 0 && 'callId' in call) {
      router.apply({ type: 'callAbandoned', callId: call.callId }, now);
      waitingNow--;
    }
  }
}
const setupStats = router.stats();
process.stderr.write(
  `setup ${((performance.now() - setupStarted) / 1000).toFixed(1)} s: ${setupStats.agentsOnline} agents, ${setupStats.connected} on calls, ` +
    `${setupStats.agentsFree} free (no eligible call), ${setupStats.waiting} waiting\n`,
);

// ---- measured loop ------------------------------------------------------------
const latencies: number[] = [];

let decisionTime = 0;
const timeByType = new Map<string, number>();
let decisions = 0;
let freedDecisions = 0;
let arrivalDecisions = 0;
let loopEvents = 0;
const warmup = Math.min(2_000, Math.floor(decisionTarget / 5));
let seen = 0;
const loopStarted = performance.now();
const loopCpu = process.cpuUsage();

function timed(event: RoutingEventInput): Reservation[] {
  const t0 = performance.now();
  const result = router.apply(event, now).decisions;
  const elapsed = performance.now() - t0;
  loopEvents++;
  if (seen >= warmup) {
    decisionTime += elapsed;
    timeByType.set(event.type, (timeByType.get(event.type) ?? 0) + elapsed);
    for (let i = 0; i < result.length; i++) latencies.push(elapsed / result.length);
    decisions += result.length;
  }
  seen += result.length;
  return result;
}

while (decisions < decisionTarget) {
  now += 50;
  if (connected.length === 0) break;
  const index = random.int(0, connected.length - 1);
  const done = connected[index] as { callId: string; agentId: string; segment: string };
  connected[index] = connected[connected.length - 1] as typeof done;
  connected.pop();
  router.apply({ type: 'callEnded', callId: done.callId, agentId: done.agentId }, now);
  router.recordOutcome({ agentId: done.agentId, segment: done.segment, saved: random.chance(0.4) });
  segmentOf.delete(done.callId);
  loopEvents += 2;
  const freed = timed({ type: 'wrapUpDone', agentId: done.agentId, callId: done.callId });
  if (seen > warmup) freedDecisions += freed.length;
  takeOffers(freed);
  loopEvents += 2 * freed.length;
  // Keep the queue near its target: one arrival per departure, more if it drained.
  const arrivals = waitingNow < waitingTarget ? 2 : 1;
  for (let k = 0; k < arrivals; k++) {
    const call = newCall();
    const offered = timed(call);
    if (seen > warmup) arrivalDecisions += offered.length;
    takeOffers(offered);
    loopEvents += 2 * offered.length;
    if (waitingTarget === 0 && offered.length === 0 && 'callId' in call) {
      router.apply({ type: 'callAbandoned', callId: call.callId }, now);
      waitingNow--;
    }
  }
}
const loopSeconds = (performance.now() - loopStarted) / 1000;
const loopCpuUsage = process.cpuUsage(loopCpu);
/** CPU time / wall time over the loop: well below 1 means other processes took the CPU and inflated the wall-clock figures. */
const cpuShare = (loopCpuUsage.user + loopCpuUsage.system) / 1e6 / loopSeconds;

const problems = router.checkInvariants();
if (problems.length > 0) {
  process.stderr.write(`bench:routing: router inconsistent: ${problems.slice(0, 3).join('; ')}\n`);
  process.exit(1);
}
latencies.sort((a, b) => a - b);
const endStats = router.stats();
process.stderr.write(
  `measured ${decisions} decisions (${freedDecisions} on agent freed, ${arrivalDecisions} on call arrival); ` +
    `${endStats.waiting} waiting, ${endStats.agentsFree} free at the end; whole loop ${loopEvents} engine calls in ${loopSeconds.toFixed(2)} s; ` +
    `time in ${[...timeByType].map(([type, ms]) => `${type} ${(ms / 1000).toFixed(2)} s`).join(', ')}\n`,
);
reportBench('routing', {
  agents: agentCount,
  waiting: waitingTarget,
  p50_ms: Number(percentile(latencies, 50).toFixed(4)),
  p99_ms: Number(percentile(latencies, 99).toFixed(4)),
  decisions_per_s: Math.round(decisions / (decisionTime / 1000)),
  decisions,
  max_ms: Number((latencies[latencies.length - 1] ?? 0).toFixed(3)),
  loop_engine_calls_per_s: Math.round(loopEvents / loopSeconds),
  loop_cpu_share: Number(cpuShare.toFixed(3)),
});
