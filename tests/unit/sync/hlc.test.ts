import { describe, expect, it } from 'vitest';
import { HybridLogicalClock, parseHlc } from '@shared/sync/hlc';

describe('hybrid logical clock', () => {
  it('issues strictly increasing stamps even when the wall clock stands still or goes back', () => {
    let now = 1_000;
    const clock = new HybridLogicalClock('a', () => now);
    const stamps = [clock.tick(), clock.tick()];
    now = 500;
    stamps.push(clock.tick());
    now = 2_000;
    stamps.push(clock.tick());
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! > stamps[i - 1]!).toBe(true);
  });

  it('orders after anything it has received, even from a clock running ahead', () => {
    const ahead = new HybridLogicalClock('ahead', () => 9_000);
    const behind = new HybridLogicalClock('behind', () => 1_000);
    const remote = ahead.tick();
    behind.receive(remote);
    expect(behind.tick() > remote).toBe(true);
  });

  it('breaks ties by node id and round-trips its format', () => {
    const a = new HybridLogicalClock('a', () => 5).tick();
    const b = new HybridLogicalClock('b', () => 5).tick();
    expect(a < b).toBe(true);
    expect(parseHlc(a)).toEqual({ wallMs: 5, counter: 0, node: 'a' });
    expect(parseHlc('garbage')).toBeNull();
    expect(() => new HybridLogicalClock('bad node!')).toThrow();
  });
});
