import type { Language } from '@shared/domain/language';
import type { AgentState, CallState } from './state';

/**
 * Free agents (logged in, available, spare capacity), indexed by language
 * and by skill. Each list is a Map in the order agents became free, so
 * iterating it is iterating longest-idle first, and add/remove are O(1).
 */
export class FreeAgentIndex {
  private readonly byLanguage = new Map<Language, Map<string, AgentState>>();
  private readonly bySkill = new Map<string, Map<string, AgentState>>();
  private readonly all = new Map<string, AgentState>();

  get size(): number {
    return this.all.size;
  }

  add(agent: AgentState): void {
    this.all.set(agent.id, agent);
    for (const language of agent.languageList) listFor(this.byLanguage, language).set(agent.id, agent);
    for (const skill of agent.skills) listFor(this.bySkill, skill).set(agent.id, agent);
  }

  remove(agent: AgentState): void {
    this.all.delete(agent.id);
    for (const language of agent.languageList) this.byLanguage.get(language)?.delete(agent.id);
    for (const skill of agent.skills) this.bySkill.get(skill)?.delete(agent.id);
  }

  /**
   * Free agents who could serve a call in this language with these skills,
   * longest-idle first: the shortest of the language list and the skill lists
   * (every eligible agent is on all of them).
   */
  pool(language: Language, requiredSkills: readonly string[]): ReadonlyMap<string, AgentState> {
    let best = this.byLanguage.get(language) ?? EMPTY;
    for (const skill of requiredSkills) {
      const list = this.bySkill.get(skill) ?? EMPTY;
      if (list.size < best.size) best = list;
    }
    return best;
  }

  agents(): IterableIterator<AgentState> {
    return this.all.values();
  }

  get(agentId: string): AgentState | undefined {
    return this.all.get(agentId);
  }
}

const EMPTY: ReadonlyMap<string, AgentState> = new Map();

function listFor<K>(index: Map<K, Map<string, AgentState>>, key: K): Map<string, AgentState> {
  let list = index.get(key);
  if (list === undefined) {
    list = new Map();
    index.set(key, list);
  }
  return list;
}

/**
 * Waiting calls that share queue, language, segment and required skills
 * share eligibility and a queue configuration, so one bucket holds them sorted
 * by priority (priority.ts: the order never changes with time). Buckets that
 * share queue, language and segment form a group: a policy's score bound
 * depends on the agent and segment, not on the skills, so a freed agent
 * bounds a whole group at once and opens only the groups that can win.
 */
export interface Bucket {
  readonly key: string;
  readonly queue: string;
  readonly language: Language;
  readonly segment: string;
  readonly requiredSkills: readonly string[];
  readonly minProficiency: number;
  /** Highest priority first, FIFO among equals. */
  readonly calls: CallState[];
  /** Largest value at risk added since the bucket was created: an upper bound for pruning (never lowered on removal). */
  maxValueAtRisk: number;
  readonly group: BucketGroup;
}

export interface BucketGroup {
  readonly key: string;
  readonly queue: string;
  readonly language: Language;
  readonly segment: string;
  readonly minProficiency: number;
  readonly buckets: Bucket[];
  /** Highest-priority call over all its buckets (whatever skills they need). */
  head: CallState | null;
  /** Largest value at risk added to any of its buckets (never lowered on removal). */
  maxValueAtRisk: number;
  /** Baseline-arm calls waiting in it (their scores follow the longest-idle policy). */
  baselineCalls: number;
}

export class WaitingCallIndex {
  private readonly buckets = new Map<string, Bucket>();
  private readonly groups = new Map<string, BucketGroup>();
  private readonly byLanguage = new Map<Language, BucketGroup[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(call: CallState, minProficiency: number): void {
    const key = bucketKey(call);
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      const group = this.groupFor(call, minProficiency);
      bucket = {
        key,
        queue: call.queue,
        language: call.language,
        segment: call.segment,
        requiredSkills: [...call.requiredSkills],
        minProficiency,
        calls: [],
        maxValueAtRisk: 0,
        group,
      };
      this.buckets.set(key, bucket);
      group.buckets.push(bucket);
    }
    bucket.calls.splice(insertionIndex(bucket.calls, call), 0, call);
    if (call.valueAtRisk > bucket.maxValueAtRisk) bucket.maxValueAtRisk = call.valueAtRisk;
    const group = bucket.group;
    if (group.head === null || ranksBefore(call, group.head)) group.head = call;
    if (call.valueAtRisk > group.maxValueAtRisk) group.maxValueAtRisk = call.valueAtRisk;
    if (call.arm === 'baseline') group.baselineCalls++;
    call.bucketKey = key;
    this.count++;
  }

  remove(call: CallState): void {
    if (call.bucketKey === null) return;
    const bucket = this.buckets.get(call.bucketKey);
    call.bucketKey = null;
    if (bucket === undefined) return;
    let index = insertionIndex(bucket.calls, call) - 1;
    // The call sorts just before its insertion point; scan in case of equal keys.
    while (index >= 0 && bucket.calls[index] !== call) index--;
    if (index < 0) index = bucket.calls.indexOf(call);
    if (index < 0) return;
    bucket.calls.splice(index, 1);
    this.count--;
    if (bucket.calls.length === 0) this.dropBucket(bucket);
    const group = bucket.group;
    if (call.arm === 'baseline') group.baselineCalls--;
    if (group.head === call) {
      group.head = null;
      for (const other of group.buckets) {
        const first = other.calls[0];
        if (first !== undefined && (group.head === null || ranksBefore(first, group.head))) group.head = first;
      }
    }
  }

  groupsFor(language: Language): readonly BucketGroup[] {
    return this.byLanguage.get(language) ?? [];
  }

  *calls(): IterableIterator<CallState> {
    for (const bucket of this.buckets.values()) yield* bucket.calls;
  }

  private groupFor(call: CallState, minProficiency: number): BucketGroup {
    const key = `${call.queue}\u0000${call.language}\u0000${call.segment}`;
    let group = this.groups.get(key);
    if (group === undefined) {
      group = { key, queue: call.queue, language: call.language, segment: call.segment, minProficiency, buckets: [], head: null, maxValueAtRisk: 0, baselineCalls: 0 };
      this.groups.set(key, group);
      let list = this.byLanguage.get(call.language);
      if (list === undefined) {
        list = [];
        this.byLanguage.set(call.language, list);
      }
      list.push(group);
    }
    return group;
  }

  private dropBucket(bucket: Bucket): void {
    this.buckets.delete(bucket.key);
    const group = bucket.group;
    removeItem(group.buckets, bucket);
    if (group.buckets.length > 0) return;
    this.groups.delete(group.key);
    const list = this.byLanguage.get(group.language);
    if (list !== undefined) removeItem(list, group);
  }
}

function removeItem<T>(list: T[], item: T): void {
  const at = list.indexOf(item);
  if (at >= 0) list.splice(at, 1);
}

export function bucketKey(call: Pick<CallState, 'queue' | 'language' | 'segment' | 'requiredSkills'>): string {
  const skills = call.requiredSkills.length <= 1 ? call.requiredSkills.join() : [...call.requiredSkills].sort().join();
  return `${call.queue}\u0000${call.language}\u0000${call.segment}\u0000${skills}`;
}

/** True when a sorts before b: higher priority first, then earlier enqueue. */
export function ranksBefore(a: CallState, b: CallState): boolean {
  return a.priorityKey > b.priorityKey || (a.priorityKey === b.priorityKey && a.enqueueSeq < b.enqueueSeq);
}

function insertionIndex(calls: readonly CallState[], call: CallState): number {
  let low = 0;
  let high = calls.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (ranksBefore(calls[mid] as CallState, call) || calls[mid] === call) low = mid + 1;
    else high = mid;
  }
  return low;
}
