import { describe, expect, it } from 'vitest';
import { generateCustomer, generateCustomers } from '@shared/demo-data/generate';
import { DEMO_AGENTS } from '@shared/demo-data/agents';

const options = { seed: 3, customers: 400, asOf: '2026-11-20' };

describe('demo data', () => {
  it('is deterministic per seed and index, and differs across seeds', () => {
    expect(generateCustomer(options, 17)).toEqual(generateCustomer(options, 17));
    expect(generateCustomer({ ...options, seed: 4 }, 17)).not.toEqual(generateCustomer(options, 17));
  });

  it('spreads each customer over several sources, with the mess real data has', () => {
    const all = [...generateCustomers(options)];
    const sources = new Set(all.flatMap((c) => c.records.map((r) => r.source)));
    expect([...sources].sort()).toEqual(['billing', 'crm', 'support', 'usage']);
    const phonesWritten = all.flatMap((c) => c.records.map((r) => r.phone)).filter(Boolean);
    expect(phonesWritten.some((p) => p!.startsWith('+'))).toBe(true);
    expect(phonesWritten.some((p) => /^[0(]/.test(p!))).toBe(true);
    expect(all.some((c) => c.records.some((r) => r.source === 'support' && r.accountId === null))).toBe(true);
    expect(all.some((c) => c.records.some((r) => r.source === 'billing' && r.givenName === r.givenName.toUpperCase()))).toBe(true);
    expect(all.some((c) => c.records.some((r) => r.email === null))).toBe(true);
  });

  it('has history on several channels, transactions and a churn label with real structure', () => {
    const all = [...generateCustomers(options)];
    const channels = new Set(all.flatMap((c) => c.interactions.map((i) => i.channel)));
    expect(channels.size).toBeGreaterThanOrEqual(4);
    expect(all.every((c) => c.transactions.length > 0)).toBe(true);
    const churnRate = all.filter((c) => c.churnedNext90d).length / all.length;
    expect(churnRate).toBeGreaterThan(0.1);
    expect(churnRate).toBeLessThan(0.6);
    const languages = new Set(all.map((c) => c.language));
    for (const language of ['en', 'he', 'ru', 'zh']) expect(languages.has(language as never)).toBe(true);
  });

  it('staffs agents who speak at least en, he, ru and zh', () => {
    const spoken = new Set(DEMO_AGENTS.flatMap((a) => a.languages.map((l) => l.code)));
    for (const language of ['en', 'he', 'ru', 'zh']) expect(spoken.has(language as never)).toBe(true);
    expect(DEMO_AGENTS.some((a) => a.role === 'supervisor')).toBe(true);
  });
});
