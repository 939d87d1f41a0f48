import { expect, it } from 'vitest';
import { describeStoreContract } from './contract-harness';
import * as fx from './fixtures';

describeStoreContract('CallStore', (h) => {
  it('saves calls and lists the open ones by creation time', async () => {
    const calls = [fx.call(1, 'queued', 50), fx.call(2, 'offered', 10), fx.call(3, 'connected', 30), fx.call(4, 'wrap_up', 40), fx.call(5, 'completed', 20), fx.call(6, 'abandoned', 5)];
    for (const c of calls) await h.store.saveCall(c);
    expect(await h.store.openCalls()).toEqual([calls[1], calls[2], calls[3], calls[0]]);

    await h.store.saveCall({ ...fx.call(1, 'completed', 50), endedAt: '2025-01-01T10:00:00.000Z' });
    expect((await h.store.openCalls()).map((c) => c.id)).toEqual(['CALL-0002', 'CALL-0003', 'CALL-0004']);
    expect(await h.store.lastSeq()).toBe(0);
  });

  it('knows every call id ever saved, finished ones too, so ids are never reused', async () => {
    await h.store.saveCall(fx.call(7, 'completed', 5));
    await h.store.saveCall(fx.call(8, 'queued', 6));
    expect(await h.store.callExists('CALL-0007')).toBe(true);
    expect(await h.store.callExists('CALL-0008')).toBe(true);
    expect(await h.store.callExists('CALL-0009')).toBe(false);
    expect(await h.store.callExists("CALL-0007' OR '1'='1")).toBe(false);
  });

  it('reads one call record back, whatever its state', async () => {
    const done = { ...fx.call(10, 'completed', 5), agentId: 'A001', customerId: 'C1' };
    await h.store.saveCall(done);
    expect(await h.store.callRecord('CALL-0010')).toEqual(done);
    expect(await h.store.callRecord('CALL-0011')).toBeNull();
  });
});
