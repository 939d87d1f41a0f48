import { describe, expect, it } from 'vitest';
import { jsonInSlices } from '../../../src-server/store/common/json-in-slices';

describe('JSON written in slices', () => {
  it('writes the same text as JSON.stringify, large collections and small values alike', async () => {
    const agents = Array.from({ length: 500 }, (_, i) => ({ id: `A${i}`, languages: { en: 5 }, slots: i % 3 ? [] : [{ callId: `C${i}`, since: i }], note: i % 7 ? undefined : 'x' }));
    const calls = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`C${i}`, { arm: i % 2 ? 'policy' : null, candidates: [{ customerId: `K${i}`, confidence: 0.5 }] }]));
    const state = { format: 'holdfast-router-state', version: 1, engine: { seq: 3, agents, holes: [1, undefined, 'é"\n'] }, calls, skipped: undefined, empty: {}, list: Array.from({ length: 100 }, () => undefined) };
    expect(await jsonInSlices(state)).toBe(JSON.stringify(state));
    for (const small of [null, 0, 'text', [], {}, [1, 2], { a: { b: [1] } }]) expect(await jsonInSlices(small)).toBe(JSON.stringify(small));
  });

  it('lets the event loop run while it writes a large value', async () => {
    const big = { agents: Array.from({ length: 20_000 }, (_, i) => ({ id: `A${i}`, readySince: i * 1.5, skills: ['retention', 'billing'] })) };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const text = await jsonInSlices(big, 1);
    clearInterval(timer);
    expect(text).toBe(JSON.stringify(big));
    expect(ticks).toBeGreaterThan(0);
  });
});
