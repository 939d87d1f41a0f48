import type { Language } from '@shared/domain/language';

/** Headline presence of an agent, derived from their explicit availability and their calls. */
export type AgentPresence = 'available' | 'reserved' | 'on_call' | 'wrap_up' | 'away' | 'offline';
/** What one of an agent's capacity slots is doing. */
export type SlotPhase = 'reserved' | 'accepted' | 'connected' | 'wrap_up';
export type CallPhase = 'waiting' | 'reserved' | 'accepted' | 'connected' | 'ended' | 'abandoned';
/** 'baseline' calls are routed by longest-idle so the uplift can be measured. */
export type Arm = 'policy' | 'baseline';

export interface AgentSlot {
  callId: string;
  phase: SlotPhase;
  since: number;
}

/** What policies may read about an agent. */
export interface AgentView {
  readonly id: string;
  readonly languages: Readonly<Partial<Record<Language, number>>>;
  readonly skills: ReadonlySet<string>;
  readonly capacity: number;
  /** When the agent last became free to take a call (longest-idle order). */
  readonly readySince: number;
  /** Consecutive connected calls at or above the queue's high-risk threshold. */
  readonly consecutiveHighRisk: number;
}

/** What policies may read about a call. */
export interface CallView {
  readonly id: string;
  readonly language: Language;
  readonly intent: string;
  readonly requiredSkills: readonly string[];
  readonly customerId: string;
  readonly segment: string;
  readonly churnRisk: number;
  readonly clv: number;
  readonly valueAtRisk: number;
  readonly arrivedAt: number;
  readonly queue: string;
  readonly arm: Arm;
}

export interface AgentState extends AgentView {
  languages: Partial<Record<Language, number>>;
  /** Object.keys(languages), kept so hot paths do not allocate it. */
  languageList: Language[];
  skills: Set<string>;
  capacity: number;
  online: boolean;
  availability: 'available' | 'away';
  presence: AgentPresence;
  presenceSince: number;
  readySince: number;
  /** Tie-break for readySince; increases with every "became free". */
  readySeq: number;
  slots: AgentSlot[];
  /** Exponentially weighted share of recent time with at least one call, as of occupancyAt. */
  occupancy: number;
  occupancyAt: number;
  consecutiveHighRisk: number;
  /** Whether the agent is in the free-agent index (kept equal to isRoutable). */
  inFreeIndex: boolean;
}

export interface CallState extends CallView {
  language: Language;
  requiredSkills: string[];
  phase: CallPhase;
  phaseSince: number;
  agentId: string | null;
  /** Reservation deadline while reserved. */
  deadline: number | null;
  /** Agents who rejected it, let it expire or transferred it away. */
  excluded: Set<string>;
  /** Tie-break within equal priority (FIFO). */
  enqueueSeq: number;
  /** Time-independent priority order key (priority.ts). */
  priorityKey: number;
  offers: number;
  transfers: number;
  /** Key of the waiting bucket while waiting. */
  bucketKey: string | null;
}

export interface CompletedCall {
  callId: string;
  phase: 'ended' | 'abandoned';
  agentId: string | null;
  at: number;
  arm: Arm;
  queue: string;
}

/**
 * Free to be offered a call: online, available, a slot to spare, and no offer
 * standing. Capacity counts calls on the line (connected, in wrap-up), not
 * offers: an agent answers one offer at a time, so a second one would only
 * sit unanswered (and time out) while another agent could have taken it.
 */
export function isRoutable(agent: AgentState): boolean {
  if (!agent.online || agent.availability !== 'available' || agent.slots.length >= agent.capacity) return false;
  for (const slot of agent.slots) if (slot.phase === 'reserved') return false;
  return true;
}

export function derivePresence(agent: AgentState): AgentPresence {
  if (!agent.online) return 'offline';
  if (agent.slots.length === 0) return agent.availability;
  let reserved = false;
  for (const slot of agent.slots) {
    if (slot.phase === 'connected' || slot.phase === 'accepted') return 'on_call';
    if (slot.phase === 'reserved') reserved = true;
  }
  return reserved ? 'reserved' : 'wrap_up';
}
