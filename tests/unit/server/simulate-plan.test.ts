import { describe, expect, it } from 'vitest';
import type { ReadyAgent } from '@shared/contract/server-http';
import { NOBODY_READY, planCalls } from '../../../src-server/tools/simulate-plan';

const tom: ReadyAgent = { id: 'A016', presence: 'available', languages: [{ code: 'en', intents: ['general', 'billing'] }] };
const noa: ReadyAgent = { id: 'A002', presence: 'on_call', languages: [{ code: 'he', intents: ['technical', 'general'] }, { code: 'en', intents: ['cancellation'] }] };

describe('what the simulator calls about', () => {
  it('refuses with the plain message when nobody is ready', () => {
    expect(planCalls([])).toEqual({ ok: false, reason: NOBODY_READY });
    expect(planCalls([], 'he')).toEqual({ ok: false, reason: NOBODY_READY });
  });

  it('calls only in the languages and about the intents ready agents are routed', () => {
    const result = planCalls([tom, noa]);
    expect(result.ok && result.plan.languages).toEqual(['en', 'he']);
    // Intents in their declared order, merged over the agents.
    expect(result.ok && Object.fromEntries(result.plan.intents)).toEqual({ en: ['billing', 'cancellation', 'general'], he: ['technical', 'general'] });
    expect(result.ok && result.plan.warning).toBeNull();
  });

  it('keeps a forced language, and says why its calls wait when nobody ready takes it', () => {
    const taken = planCalls([tom, noa], 'he');
    expect(taken).toEqual({ ok: true, plan: { languages: ['he'], intents: new Map([['he', ['technical', 'general']]]), warning: null } });
    const waiting = planCalls([tom], 'ru');
    expect(waiting.ok && waiting.plan.languages).toEqual(['ru']);
    expect(waiting.ok && waiting.plan.warning).toBe('No ready agent takes calls in ru (ready: A016 (en: general, billing)): these calls will wait in the queue until an agent who speaks ru presses Go ready');
  });

  it('says why no call can reach agents who are ready but routed nothing', () => {
    const result = planCalls([{ id: 'A099', presence: 'available', languages: [] }]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^The agents ready take no calls \(ready: A099 \(no calls\)\)/);
  });
});
