import type { Language } from '@shared/domain/language';
import { createRandom } from '@shared/util/random';

/**
 * The simulated agents. Everyone speaks Hebrew; Russian, English and Arabic
 * speakers are spread so that each language has at least two agents (with
 * fewer, one absence would strand a language's callers), and about half hold
 * the "securities" skill the stock-exchange (NE) line needs, again at least two.
 */
export interface SimAgent {
  id: string;
  languages: Partial<Record<Language, number>>;
  skills: string[];
}

const SHARES: Array<[Language, number]> = [
  ['ru', 0.35],
  ['en', 0.5],
  ['ar', 0.2],
];

export function createRoster(count: number, seed: number): SimAgent[] {
  const random = createRandom(`roster:${seed}`);
  const agents: SimAgent[] = Array.from({ length: count }, (_, i) => ({
    id: `agent-${String(i + 1).padStart(2, '0')}`,
    languages: { he: random.int(4, 5) },
    skills: [],
  }));
  // Deal extra languages round-robin from a seeded offset, so coverage is guaranteed, not left to chance.
  let cursor = random.int(0, Math.max(0, count - 1));
  for (const [language, share] of SHARES) {
    const speakers = Math.min(count, Math.max(2, Math.round(share * count)));
    for (let i = 0; i < speakers; i++) {
      const agent = agents[(cursor + i) % count] as SimAgent;
      agent.languages[language] = random.int(3, 5);
    }
    cursor = (cursor + speakers) % count;
  }
  const securities = Math.min(count, Math.max(2, Math.round(0.5 * count)));
  const order = agents.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  for (const index of order.slice(0, securities)) (agents[index] as SimAgent).skills.push('securities');
  return agents;
}

export const requiredSkillsFor = (callType: string): string[] => (callType === 'NE' ? ['securities'] : []);
