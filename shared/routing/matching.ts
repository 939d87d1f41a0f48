import type { QueueConfig, RouterConfig } from './config';
import { isEligible } from './eligibility';
import { solveAssignment } from './hungarian';
import type { BucketGroup, FreeAgentIndex, WaitingCallIndex } from './indexes';
import type { Cell, Estimate, OutcomeStats } from './learning';
import { decayOccupancy } from './policies/guards';
import { longestIdlePolicy } from './policies/longest-idle';
import type { MatchPolicy, PolicyContext } from './policies/types';
import type { AgentState, CallState } from './state';

/**
 * Finds candidates and scores pairs; never changes state.
 *
 * How it stays fast with 10,000 agents and 2,000 waiting calls (a full
 * Hungarian over that would be O(n^3) per event), i.e. the incremental design:
 *  - Free agents are indexed by language and skill in longest-idle order
 *    (indexes.ts). An arriving call walks the shortest list that every
 *    eligible agent is on and scores at most `agentScanLimit` eligible agents
 *    (all of them when fewer are free, which is when the choice matters most),
 *    plus, for a learning policy, the segment's SEGMENT_LEADERS agents with
 *    the highest shrunk estimate that are free and eligible, wherever they
 *    are in the idle order. Why that bound loses (almost) nothing: the pair
 *    score is the call's priority (the same for every agent), plus the match
 *    term (grows with the agent's estimate in the segment, discounted only by
 *    the occupancy guard), plus a small idle term (grows with idle time). So
 *    the best agent either has one of the highest estimates (a leader), or
 *    wins on idle time among near-equals (the longest-idle prefix). It can be
 *    missed only when more than SEGMENT_LEADERS better-estimated agents are
 *    all busy, ineligible or occupancy-discounted and it sits beyond the
 *    first `agentScanLimit` idle agents; the cost per arrival stays
 *    O(agentScanLimit + SEGMENT_LEADERS) whatever the number of free agents.
 *  - Waiting calls sit in buckets (queue x language x segment x skills) kept
 *    sorted by priority, an order that aging never changes; buckets of one
 *    queue x language x segment form a group with a cached head call. A freed
 *    agent bounds each group it speaks the language of in O(1)
 *    (MatchPolicy.upperBound), opens groups best bound first, scores the first
 *    `candidatesPerBucket` calls of each eligible bucket in an opened group,
 *    and stops when no unopened bound can beat what it has (about 1.6 groups
 *    opened of ~25 in the 10,000-agent benchmark).
 *  - Joint assignment only runs over what an event changed: the calls and
 *    agents it touched plus their top-K candidates (`candidatesPerDecision`),
 *    a matrix of a few dozen rows at most, solved exactly (hungarian.ts).
 * The approximation: an agent beyond the scan limit of a long free list who
 * is not a segment leader, or a call deeper than `candidatesPerBucket` in its
 * bucket, is not considered for that decision. Both lists are ordered by what the score rewards anyway
 * (idle time, queue priority). The group bounds themselves are exact: pruning
 * never changes a decision (tests/unit/routing/pruning.test.ts).
 */
export interface ScoredAgent {
  agent: AgentState;
  score: number;
}

export interface ScoredCall {
  call: CallState;
  score: number;
}

export interface Pair {
  call: CallState;
  agent: AgentState;
  score: number;
}

export interface MatcherDeps {
  readonly config: RouterConfig;
  readonly free: FreeAgentIndex;
  readonly waiting: WaitingCallIndex;
  readonly stats: OutcomeStats;
  queueConfig(queue: string): QueueConfig;
  policyFor(queue: QueueConfig): MatchPolicy;
}

export class Matcher {
  private readonly contexts = new Map<QueueConfig, PolicyContext & { now: number }>();
  private contextNow = Number.NaN;
  /**
   * Estimates for one agent across segments, reused within one routing step
   * (see forgetEstimates). A freed agent bounds every group of every language
   * it speaks, a few dozen, over about as many segments as groups per
   * language; parallel arrays scanned by identity beat a Map at that size.
   */
  private memoAgent: string | null = null;
  private memoCells: ReadonlyMap<string, Cell> | null = null;
  private readonly memoSegments: string[] = [];
  private readonly memoEstimates: Estimate[] = [];
  private scanningAgents = false;
  private lastQueueName = '';
  private lastQueue: QueueConfig | null = null;
  private readonly groupBuffer: Array<BucketGroup | undefined> = [];
  private readonly boundBuffer: number[] = [];
  private readonly occupancyMemo: { agent: AgentState | null; at: number; busy: boolean; now: number; value: number } = { agent: null, at: 0, busy: false, now: 0, value: 0 };

  constructor(private readonly deps: MatcherDeps) {}

  /** The policy that ranks agents for this call: the queue's, or longest-idle for the baseline arm. */
  policyOf(call: CallState): MatchPolicy {
    return call.arm === 'baseline' ? longestIdlePolicy : this.deps.policyFor(this.deps.queueConfig(call.queue));
  }

  score(call: CallState, agent: AgentState, now: number): number {
    return this.policyOf(call).score(call, agent, this.context(this.deps.queueConfig(call.queue), now));
  }

  eligible(call: CallState, agent: AgentState): boolean {
    return isEligible(call, agent, this.deps.queueConfig(call.queue).minProficiency, call.excluded);
  }

  /** Best free agents for a call, best first (ties: longest idle first). */
  agentsFor(call: CallState, now: number, limit: number): ScoredAgent[] {
    const queue = this.deps.queueConfig(call.queue);
    const policy = this.policyOf(call);
    const context = this.context(queue, now);
    const pool = this.deps.free.pool(call.language, call.requiredSkills);
    // Every eligible agent, leaders included, is on this list: when it is empty (a full floor, calls
    // queueing) there is nobody to find, and the leaders need not be brought up to date to learn that.
    if (pool.size === 0) return [];
    const scanLimit = this.deps.config.agentScanLimit;
    const visitLimit = scanLimit * 8;
    const top: ScoredAgent[] = [];
    let eligibleSeen = 0;
    let visited = 0;
    this.scanningAgents = true;
    try {
      for (const agent of pool.values()) {
        visited++;
        if (!isEligible(call, agent, queue.minProficiency, call.excluded)) {
          // Keep walking past ineligible agents only until something is found, so no call waits beside an eligible free agent.
          if (visited > visitLimit && top.length > 0) break;
          continue;
        }
        const score = policy.score(call, agent, context);
        const worst = top[limit - 1];
        if (worst === undefined || score > worst.score || (score === worst.score && agent.readySeq < worst.agent.readySeq)) {
          insertTop(top, { agent, score }, limit, agentBefore);
        }
        eligibleSeen++;
        // The list is in longest-idle order, which is exactly what the baseline ranks by.
        if (policy === longestIdlePolicy && eligibleSeen >= limit) break;
        if (eligibleSeen >= scanLimit) break;
      }
      // The segment's best-estimated agents, wherever they are in the idle order (see the class comment).
      if (policy !== longestIdlePolicy) {
        for (const leader of this.deps.stats.leaders(call.segment)) {
          const agent = this.deps.free.get(leader.agentId);
          if (agent === undefined || !isEligible(call, agent, queue.minProficiency, call.excluded)) continue;
          if (top.some((entry) => entry.agent === agent)) continue;
          insertTop(top, { agent, score: policy.score(call, agent, context) }, limit, agentBefore);
        }
      }
    } finally {
      this.scanningAgents = false;
    }
    return top;
  }

  /**
   * Best waiting calls for a free agent, best first (ties: earlier enqueue
   * first). Each bucket group (queue x language x segment) the agent can serve
   * gets an upper bound from the best head among its eligible buckets
   * (MatchPolicy.upperBound); groups are opened best bound first, and the
   * search stops once no remaining bound can beat the current top `limit`.
   */
  callsFor(agent: AgentState, now: number, limit: number): ScoredCall[] {
    const perBucket = this.deps.config.candidatesPerBucket;
    // Reused buffers: this runs on every freed agent, and allocation shows up as GC pauses in p99.
    const groups = this.groupBuffer;
    const bounds = this.boundBuffer;
    let count = 0;
    for (const language of agent.languageList) {
      const proficiency = agent.languages[language] ?? 0;
      for (const group of this.deps.waiting.groupsFor(language)) {
        if (proficiency < group.minProficiency) continue;
        const bound = this.groupBound(group, agent, now);
        if (bound === Number.NEGATIVE_INFINITY) continue;
        groups[count] = group;
        bounds[count] = bound;
        count++;
      }
    }
    const top: ScoredCall[] = [];
    // Best bound first, by selection: usually a few groups are opened before the rest are pruned.
    for (let opened = 0; opened < count; opened++) {
      let best = -1;
      let bestBound = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < count; i++) {
        const bound = bounds[i] as number;
        if (bound > bestBound || (best < 0 && bound === bestBound)) {
          best = i;
          bestBound = bound;
        }
      }
      if (best < 0) break;
      const worst = top[limit - 1];
      if (worst !== undefined && bestBound < worst.score) break;
      bounds[best] = Number.NaN; // opened: NaN never compares greater
      const group = groups[best] as BucketGroup;
      const queue = this.deps.queueConfig(group.queue);
      const context = this.context(queue, now);
      const queuePolicy = this.deps.policyFor(queue);
      for (const bucket of group.buckets) {
        if (!hasSkills(agent, bucket.requiredSkills)) continue;
        let taken = 0;
        for (const call of bucket.calls) {
          if (call.excluded.has(agent.id)) continue;
          const policy = call.arm === 'baseline' ? longestIdlePolicy : queuePolicy;
          insertTop(top, { call, score: policy.score(call, agent, context) }, limit, callBefore);
          if (++taken >= perBucket) break;
        }
      }
    }
    groups.fill(undefined, 0, count);
    return top;
  }

  /**
   * Upper bound on the agent's score for any call in the group, from the
   * group's cached head; -Infinity when the group is empty. Skills are not
   * checked here (opening the group does), which keeps this O(1) per group.
   */
  private groupBound(group: BucketGroup, agent: AgentState, now: number): number {
    const head = group.head;
    if (head === null) return Number.NEGATIVE_INFINITY;
    const queue = this.queueOf(group.queue);
    const queuePolicy = this.deps.policyFor(queue);
    if (queuePolicy.upperBound === undefined) return Number.POSITIVE_INFINITY;
    const context = this.context(queue, now);
    let bound = queuePolicy.upperBound(head, agent, context, group);
    // Baseline-arm calls in the group are scored by longest-idle.
    if (group.baselineCalls > 0 && queuePolicy !== longestIdlePolicy) {
      bound = Math.max(bound, longestIdlePolicy.upperBound?.(head, agent, context, group) ?? Number.POSITIVE_INFINITY);
    }
    return bound;
  }

  /**
   * Joint assignment for the calls and agents an event touched: gather each
   * one's top-K candidates, then solve the assignment exactly. Pairs are
   * weighted so that more assignments always beat fewer (no agent left idle
   * beside a call it could take), and among those the total score is maximal.
   */
  jointPairs(calls: readonly CallState[], agents: readonly AgentState[], now: number): Pair[] {
    const limit = this.deps.config.candidatesPerDecision;
    const rowSet = new Set<CallState>(calls);
    const columnSet = new Set<AgentState>(agents);
    for (const call of calls) for (const { agent } of this.agentsFor(call, now, limit)) columnSet.add(agent);
    for (const agent of agents) for (const { call } of this.callsFor(agent, now, limit)) rowSet.add(call);
    const rows = [...rowSet].sort((a, b) => (callBefore({ call: a, score: 0 }, { call: b, score: 0 }) ? -1 : 1));
    // One column per agent: an agent holds at most one reservation (state.ts isRoutable), whatever its capacity.
    const columns = [...columnSet].sort((a, b) => a.readySeq - b.readySeq);
    if (rows.length === 0 || columns.length === 0) return [];

    const scores: Array<Array<number | null>> = [];
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    let any = false;
    for (const call of rows) {
      const line: Array<number | null> = [];
      for (const agent of columns) {
        if (!this.eligible(call, agent)) {
          line.push(null);
          continue;
        }
        const value = this.score(call, agent, now);
        line.push(value);
        low = Math.min(low, value);
        high = Math.max(high, value);
        any = true;
      }
      scores.push(line);
    }
    if (!any) return [];
    // One more pair is worth more than any reshuffle of scores can gain.
    const cardinalityBonus = (high - low + 1) * (Math.min(rows.length, columns.length) + 1);
    const weights = scores.map((line) => line.map((value) => (value === null ? null : value - low + 1 + cardinalityBonus)));
    const assignment = solveAssignment(weights);
    const pairs: Pair[] = [];
    assignment.forEach((column, row) => {
      if (column < 0) return;
      const call = rows[row] as CallState;
      const agent = columns[column] as AgentState;
      pairs.push({ call, agent, score: scores[row]?.[column] ?? 0 });
    });
    return pairs;
  }

  /** Queue config by name, remembering the last one (groups of one queue come in runs). */
  private queueOf(name: string): QueueConfig {
    if (name !== this.lastQueueName || this.lastQueue === null) {
      this.lastQueueName = name;
      this.lastQueue = this.deps.queueConfig(name);
    }
    return this.lastQueue;
  }

  /** Call whenever outcomes may have changed (the engine does, before each routing step). */
  forgetEstimates(): void {
    this.memoAgent = null;
    this.memoCells = null;
    this.memoSegments.length = 0;
    this.memoEstimates.length = 0;
  }

  private estimate(agentId: string, segment: string): Estimate {
    // The memo serves one agent across many segments (callsFor); scanning many agents for one call skips it.
    if (this.scanningAgents) return this.deps.stats.estimate(agentId, segment);
    if (agentId !== this.memoAgent || this.memoCells === null) {
      this.forgetEstimates();
      this.memoAgent = agentId;
      this.memoCells = this.deps.stats.cellsOf(agentId);
    }
    const segments = this.memoSegments;
    for (let i = 0; i < segments.length; i++) {
      if (segments[i] === segment) return this.memoEstimates[i] as Estimate;
    }
    const estimate = this.deps.stats.estimateIn(this.memoCells, segment);
    segments.push(segment);
    this.memoEstimates.push(estimate);
    return estimate;
  }

  /** One context per queue, kept for the router's life; only its `now` moves. */
  private context(queue: QueueConfig, now: number): PolicyContext {
    this.contextNow = now;
    let context = this.contexts.get(queue);
    if (context === undefined) {
      context = this.createContext(queue);
      this.contexts.set(queue, context);
    }
    context.now = now;
    return context;
  }

  private createContext(queue: QueueConfig): PolicyContext & { now: number } {
    const windowMs = this.deps.config.occupancyWindowMs;
    return {
      now: 0,
      queue,
      estimate: (agentId, segment) => this.estimate(agentId, segment),
      occupancy: (view) => {
        const agent = view as AgentState;
        const busy = agent.slots.length > 0;
        const now = this.contextNow;
        const memo = this.occupancyMemo;
        if (memo.agent === agent && memo.at === agent.occupancyAt && memo.busy === busy && memo.now === now) return memo.value;
        const value = decayOccupancy(agent.occupancy, busy, now - agent.occupancyAt, windowMs);
        memo.agent = agent;
        memo.at = agent.occupancyAt;
        memo.busy = busy;
        memo.now = now;
        memo.value = value;
        return value;
      },
      // The key was computed once at enqueue; adding now / agingMs gives priorityAt without a logarithm.
      priority: (view) => {
        const call = view as CallState;
        return queue.priority.agingMs === null ? call.priorityKey : call.priorityKey + this.contextNow / queue.priority.agingMs;
      },
    };
  }
}

function hasSkills(agent: AgentState, skills: readonly string[]): boolean {
  for (const skill of skills) if (!agent.skills.has(skill)) return false;
  return true;
}

function agentBefore(a: ScoredAgent, b: ScoredAgent): boolean {
  return a.score > b.score || (a.score === b.score && a.agent.readySeq < b.agent.readySeq);
}

function callBefore(a: ScoredCall, b: ScoredCall): boolean {
  return a.score > b.score || (a.score === b.score && a.call.enqueueSeq < b.call.enqueueSeq);
}

/** Keeps `top` sorted best-first and at most `limit` long. */
function insertTop<T>(top: T[], item: T, limit: number, before: (a: T, b: T) => boolean): void {
  if (top.length >= limit && !before(item, top[top.length - 1] as T)) return;
  let index = top.length;
  while (index > 0 && before(item, top[index - 1] as T)) index--;
  top.splice(index, 0, item);
  if (top.length > limit) top.pop();
}
