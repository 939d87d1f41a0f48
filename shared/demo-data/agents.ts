import type { Agent } from '../domain/agent';

/** The demo roster: a multilingual retention floor and two supervisors. */
export interface DemoAgent extends Agent {
  password: string;
}

const A = (id: number, username: string, displayName: string, languages: [string, number][], skills: string[]): DemoAgent => ({
  id: `A${String(id).padStart(3, '0')}`,
  username,
  displayName,
  role: 'agent',
  password: 'demo',
  languages: languages.map(([code, proficiency]) => ({ code: code as Agent['languages'][number]['code'], proficiency })),
  skills,
  // Two demo teams, so the review's team cut has something to compare.
  team: id % 2 === 1 ? 'Harbour' : 'Summit',
});

export const DEMO_AGENTS: readonly DemoAgent[] = [
  A(1, 'ava', 'Ava Thompson', [['en', 5], ['es', 3]], ['retention', 'billing']),
  A(2, 'noa', 'Noa Levi', [['he', 5], ['en', 4], ['ar', 2]], ['retention', 'technical']),
  A(3, 'dmitri', 'Dmitri Volkov', [['ru', 5], ['en', 4], ['he', 3]], ['retention', 'billing']),
  A(4, 'mei', 'Mei Chen', [['zh', 5], ['en', 4]], ['retention', 'technical']),
  A(5, 'omar', 'Omar Haddad', [['ar', 5], ['he', 4], ['en', 3]], ['billing', 'technical']),
  A(6, 'lucia', 'Lucia Garcia', [['es', 5], ['en', 4]], ['retention', 'billing']),
  A(7, 'ben', 'Ben Carter', [['en', 5]], ['technical', 'billing']),
  A(8, 'tamar', 'Tamar Katz', [['he', 5], ['en', 5], ['ru', 2]], ['retention', 'billing']),
  A(9, 'igor', 'Igor Petrov', [['ru', 5], ['en', 3]], ['technical']),
  A(10, 'grace', 'Grace Walker', [['en', 5]], ['retention']),
  A(11, 'yossi', 'Yossi Mizrahi', [['he', 5], ['en', 3]], ['technical', 'billing']),
  A(12, 'wei', 'Wei Zhang', [['zh', 5], ['en', 3]], ['billing']),
  A(13, 'hannah', 'Hannah Moore', [['en', 5], ['he', 2]], ['retention', 'technical']),
  A(14, 'olga', 'Olga Sokolova', [['ru', 5], ['he', 4], ['en', 3]], ['retention']),
  A(15, 'sam', 'Sam Ohana', [['he', 5], ['en', 5]], ['retention', 'billing']),
  A(16, 'tom', 'Tom Davis', [['en', 5]], ['billing']),
  {
    id: 'S001', username: 'rachel', displayName: 'Rachel Golan (supervisor)', role: 'supervisor', password: 'demo',
    languages: [{ code: 'he', proficiency: 5 }, { code: 'en', proficiency: 5 }], skills: ['retention'],
  },
  {
    id: 'S002', username: 'marcus', displayName: 'Marcus Hall (supervisor)', role: 'supervisor', password: 'demo',
    languages: [{ code: 'en', proficiency: 5 }], skills: ['retention'],
  },
];
