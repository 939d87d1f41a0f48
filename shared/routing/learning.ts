import type { LearningConfig } from './config';

/**
 * Agent x segment save history with empirical-Bayes Beta-Binomial shrinkage.
 *
 * Each agent i in a segment has s_i saves in n_i calls. Their true save rates
 * are modelled as draws from Beta(alpha, beta) fitted per segment over the
 * agents (method of moments, below), and the predicted save probability is the
 * posterior mean (alpha + s_i) / (alpha + beta + n_i). An agent with 3 calls
 * stays near the segment's prior; one with 300 is judged on their own record.
 *
 * Method of moments with unequal n_i (Kleinman 1973): with weights n_i,
 *   S = sum n_i (p_i - p)^2,  p = sum s_i / sum n_i,  N = sum n_i, k agents,
 *   E[S] = mu(1-mu) [ rho (N - sum n_i^2 / N) + (1 - rho)(k - 1) ],
 * where rho = 1 / (alpha + beta + 1) is the intra-agent correlation. Solving
 * for rho gives the prior strength alpha + beta = 1/rho - 1, clamped to
 * [minPriorStrength, maxPriorStrength]; rho <= 0 (no spread beyond binomial
 * noise) means agents look alike and the prior is made as strong as allowed.
 * Why moments and not marginal likelihood: closed form, no iterations, so a
 * refit over 10,000 agents costs one pass; the refit runs when a segment's
 * outcome count grew by `refitGrowth`, which keeps recording amortised O(1).
 */
export interface Cell {
  n: number;
  s: number;
}

export interface BetaPrior {
  alpha: number;
  beta: number;
  /** 'moments' when fitted from agents, 'fallback' when too few agents had history. */
  method: 'moments' | 'fallback';
}

export interface Estimate {
  /** Posterior mean save probability for this agent in this segment. */
  mean: number;
  /** The segment prior's mean (what an agent with no history is predicted). */
  priorMean: number;
  /** Posterior standard deviation. */
  sd: number;
  /** Calls this agent has in the segment. */
  n: number;
}

const MEAN_FLOOR = 1e-3;
const NO_CELLS: ReadonlyMap<string, Cell> = new Map();

export function fitBetaBinomialPrior(cells: Iterable<Cell>, config: LearningConfig): BetaPrior {
  let k = 0;
  let totalN = 0;
  let totalS = 0;
  let sumN2 = 0;
  const used: Cell[] = [];
  for (const cell of cells) {
    if (cell.n <= 0) continue;
    used.push(cell);
    k++;
    totalN += cell.n;
    totalS += cell.s;
    sumN2 += cell.n * cell.n;
  }
  const mean = clampMean(totalN > 0 ? (totalS + 1) / (totalN + 2) : 0.5);
  const fallback = (): BetaPrior => ({
    alpha: mean * config.defaultPriorStrength,
    beta: (1 - mean) * config.defaultPriorStrength,
    method: 'fallback',
  });
  if (k < config.minAgentsForPrior) return fallback();

  const p = totalS / totalN;
  const pq = clampMean(p) * (1 - clampMean(p));
  let spread = 0;
  for (const cell of used) {
    const diff = cell.s / cell.n - p;
    spread += cell.n * diff * diff;
  }
  const denominator = totalN - sumN2 / totalN - (k - 1);
  if (denominator <= 1e-9) return fallback();
  const rho = (spread / pq - (k - 1)) / denominator;
  const strength = rho <= 0 ? config.maxPriorStrength : clamp(1 / rho - 1, config.minPriorStrength, config.maxPriorStrength);
  const fittedMean = clampMean(p);
  return { alpha: fittedMean * strength, beta: (1 - fittedMean) * strength, method: 'moments' };
}

interface SegmentState {
  cells: Map<string, Cell>;
  n: number;
  s: number;
  prior: BetaPrior;
  /** Outcome count when the prior was last fitted. */
  fittedAtN: number;
  /** Agents with the highest posterior mean here, best first; null: rebuild on demand. */
  leaders: LeaderList | null;
}

interface Leader {
  agentId: string;
  mean: number;
}

/**
 * The exact top of a segment by posterior mean, deeper than routing reads
 * (LEADER_RESERVE entries), so that a listed agent who falls out of it,
 * which a failed save often makes happen, shortens the list instead of
 * forcing a rescan of every agent in the segment: what remains is still
 * exactly the top, since everyone unlisted ranked below all of it.
 */
interface LeaderList {
  entries: Leader[];
  /** Every agent with history here is listed, so a newcomer at the end belongs there too. */
  complete: boolean;
  /** The first SEGMENT_LEADERS entries, as handed out; null after a change. */
  view: Leader[] | null;
}

/**
 * How many of a segment's best-estimated agents routing always looks at
 * (matching.ts): enough that the best free, eligible one is among them
 * unless more than this many better ones are all busy or lack the language.
 */
export const SEGMENT_LEADERS = 16;
const LEADER_RESERVE = 4 * SEGMENT_LEADERS;

export interface OutcomeStatsSnapshot {
  segments: Array<{
    segment: string;
    prior: BetaPrior;
    fittedAtN: number;
    /** [agentId, calls, saves] */
    cells: Array<[string, number, number]>;
  }>;
}

export class OutcomeStats {
  private readonly segments = new Map<string, SegmentState>();
  /** The same cells keyed agent first: one agent's segments sit together, which is how routing reads them. */
  private readonly byAgent = new Map<string, Map<string, Cell>>();
  private totalN = 0;
  private totalS = 0;
  private unseenCache: { n: number; prior: BetaPrior } | null = null;

  constructor(private readonly config: LearningConfig) {}

  /**
   * Counts one outcome. `saved` may be a share of a save (0..1): a claimed
   * save not yet verified counts as the measured chance that it will be.
   */
  record(agentId: string, segment: string, saved: boolean | number): void {
    let state = this.segments.get(segment);
    if (state === undefined) {
      state = { cells: new Map(), n: 0, s: 0, prior: this.unseenPrior(), fittedAtN: 0, leaders: null };
      this.segments.set(segment, state);
    }
    let cell = state.cells.get(agentId);
    if (cell === undefined) {
      cell = { n: 0, s: 0 };
      state.cells.set(agentId, cell);
      this.agentCells(agentId).set(segment, cell);
    }
    const success = typeof saved === 'number' ? Math.min(1, Math.max(0, saved)) : saved ? 1 : 0;
    cell.n += 1;
    cell.s += success;
    state.n += 1;
    state.s += success;
    this.totalN += 1;
    this.totalS += success;
    if (state.n - state.fittedAtN >= Math.max(1, this.config.refitGrowth * state.fittedAtN)) {
      state.prior = fitBetaBinomialPrior(state.cells.values(), this.config);
      state.fittedAtN = state.n;
      // Every mean moved with the prior: rebuilt on the next read, O(cells) once per refit.
      state.leaders = null;
    } else if (state.leaders !== null && !updateLeaders(state.leaders, agentId, posteriorMean(state.prior, cell))) {
      state.leaders = null;
    }
  }

  /**
   * Moves the saves of an outcome counted before (a claim verified since):
   * the agent's saves in the segment by `delta`, kept within 0..calls. An
   * agent with no outcome in the segment is left alone.
   */
  revise(agentId: string, segment: string, delta: number): void {
    const state = this.segments.get(segment);
    const cell = state?.cells.get(agentId);
    if (state === undefined || cell === undefined || !Number.isFinite(delta) || delta === 0) return;
    const moved = Math.min(cell.n, Math.max(0, cell.s + delta)) - cell.s;
    cell.s += moved;
    state.s += moved;
    this.totalS += moved;
    state.leaders = null;
  }

  /**
   * The agents with the highest posterior mean in a segment, best first (at
   * most SEGMENT_LEADERS; ties by agent id, so the list is the same however it
   * was reached, and a restored router decides like the original). Updated
   * in place on each outcome; rebuilt, O(agents in the segment), after a
   * prior refit or when agents falling out of the reserve (LeaderList) left
   * fewer than SEGMENT_LEADERS in it. Empty for a segment nobody has outcomes in.
   */
  leaders(segment: string): ReadonlyArray<{ agentId: string; mean: number }> {
    const state = this.segments.get(segment);
    if (state === undefined) return [];
    if (state.leaders === null) {
      const list: LeaderList = { entries: [], complete: true, view: null };
      for (const [agentId, cell] of state.cells) updateLeaders(list, agentId, posteriorMean(state.prior, cell));
      state.leaders = list;
    }
    state.leaders.view ??= state.leaders.entries.slice(0, SEGMENT_LEADERS);
    return state.leaders.view;
  }

  prior(segment: string): BetaPrior {
    return this.segments.get(segment)?.prior ?? this.unseenPrior();
  }

  estimate(agentId: string, segment: string): Estimate {
    return this.estimateIn(this.cellsOf(agentId), segment);
  }

  /** One agent's history by segment: routing reads many segments of one agent in a row, and looks the agent up once. */
  cellsOf(agentId: string): ReadonlyMap<string, Cell> {
    return this.byAgent.get(agentId) ?? NO_CELLS;
  }

  /** The estimate for the agent whose cells these are (cellsOf). */
  estimateIn(cells: ReadonlyMap<string, Cell>, segment: string): Estimate {
    const prior = this.segments.get(segment)?.prior ?? this.unseenPrior();
    const cell = cells.get(segment);
    const n = cell === undefined ? 0 : cell.n;
    const total = prior.alpha + prior.beta + n;
    const mean = (prior.alpha + (cell === undefined ? 0 : cell.s)) / total;
    return { mean, priorMean: prior.alpha / (prior.alpha + prior.beta), sd: Math.sqrt((mean * (1 - mean)) / (total + 1)), n };
  }

  counts(agentId: string, segment: string): Cell {
    const cell = this.segments.get(segment)?.cells.get(agentId);
    return { n: cell?.n ?? 0, s: cell?.s ?? 0 };
  }

  snapshot(): OutcomeStatsSnapshot {
    return {
      segments: [...this.segments].map(([segment, state]) => ({
        segment,
        prior: { ...state.prior },
        fittedAtN: state.fittedAtN,
        cells: [...state.cells].map(([agentId, cell]): [string, number, number] => [agentId, cell.n, cell.s]),
      })),
    };
  }

  static restore(snapshot: OutcomeStatsSnapshot, config: LearningConfig): OutcomeStats {
    const stats = new OutcomeStats(config);
    for (const entry of snapshot.segments) {
      const state: SegmentState = { cells: new Map(), n: 0, s: 0, prior: { ...entry.prior }, fittedAtN: entry.fittedAtN, leaders: null };
      for (const [agentId, n, s] of entry.cells) {
        const cell = { n, s };
        state.cells.set(agentId, cell);
        stats.agentCells(agentId).set(entry.segment, cell);
        state.n += n;
        state.s += s;
      }
      stats.segments.set(entry.segment, state);
      stats.totalN += state.n;
      stats.totalS += state.s;
    }
    return stats;
  }

  private agentCells(agentId: string): Map<string, Cell> {
    let cells = this.byAgent.get(agentId);
    if (cells === undefined) {
      cells = new Map();
      this.byAgent.set(agentId, cells);
    }
    return cells;
  }

  /** Prior for a segment nobody has outcomes in: the overall save rate, weakly held. */
  private unseenPrior(): BetaPrior {
    if (this.unseenCache !== null && this.unseenCache.n === this.totalN) return this.unseenCache.prior;
    const mean = clampMean((this.totalS + 1) / (this.totalN + 2));
    const prior: BetaPrior = {
      alpha: mean * this.config.defaultPriorStrength,
      beta: (1 - mean) * this.config.defaultPriorStrength,
      method: 'fallback',
    };
    this.unseenCache = { n: this.totalN, prior };
    return prior;
  }
}

function posteriorMean(prior: BetaPrior, cell: Cell): number {
  return (prior.alpha + cell.s) / (prior.alpha + prior.beta + cell.n);
}

function leaderBefore(a: { agentId: string; mean: number }, b: { agentId: string; mean: number }): boolean {
  return a.mean > b.mean || (a.mean === b.mean && a.agentId < b.agentId);
}

/**
 * Puts the agent at its place in the best-first list (at most
 * LEADER_RESERVE). Returns false when the list no longer holds
 * SEGMENT_LEADERS entries known to be the exact top.
 */
function updateLeaders(list: LeaderList, agentId: string, mean: number): boolean {
  const { entries } = list;
  const entry = { agentId, mean };
  const at = entries.findIndex((l) => l.agentId === agentId);
  if (at >= 0) entries.splice(at, 1);
  let index = entries.length;
  while (index > 0 && leaderBefore(entry, entries[index - 1] as Leader)) index--;
  if (index === entries.length && !list.complete) {
    // Below everything listed, and unlisted agents may rank between: it leaves (or stays out of) the list.
    if (at >= 0) list.view = null;
    return entries.length >= SEGMENT_LEADERS;
  }
  entries.splice(index, 0, entry);
  if (entries.length > LEADER_RESERVE) {
    entries.pop();
    list.complete = false;
  }
  if (at >= 0 || index < SEGMENT_LEADERS) list.view = null;
  return true;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function clampMean(value: number): number {
  return clamp(value, MEAN_FLOOR, 1 - MEAN_FLOOR);
}
