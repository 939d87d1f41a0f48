import { expect, it } from 'vitest';
import { describeStoreContract } from './contract-harness';

describeStoreContract('TelephonyStore', (h) => {
  it('keeps, changes and clears agents\' phone addresses', async () => {
    expect(await h.store.agentPhones()).toEqual({});
    await h.store.setAgentPhone('A1', 'sip:1001@pbx.example');
    await h.store.setAgentPhone('A2', '1002');
    await h.store.setAgentPhone('A1', 'sip:1003@pbx.example');
    expect(await h.store.agentPhones()).toEqual({ A1: 'sip:1003@pbx.example', A2: '1002' });
    await h.store.setAgentPhone('A2', null);
    expect(await h.store.agentPhones()).toEqual({ A1: 'sip:1003@pbx.example' });
  });

  it('keeps webhook deliveries until acknowledged, due in order, each id queued once', async () => {
    await h.store.enqueueDelivery({ id: 'D1', callId: 'C1', body: '{"a":1}', createdAt: '2026-01-01T00:00:00.000Z', nextAttemptAt: 100 });
    await h.store.enqueueDelivery({ id: 'D2', callId: 'C2', body: '{"a":2}', createdAt: '2026-01-01T00:00:01.000Z', nextAttemptAt: 100 });
    await h.store.enqueueDelivery({ id: 'D1', callId: 'C1', body: '{"a":"changed"}', createdAt: '2026-01-01T00:00:02.000Z', nextAttemptAt: 100 });
    expect((await h.store.dueDeliveries(50, 10))).toEqual([]);
    const due = await h.store.dueDeliveries(100, 10);
    expect(due.map((d) => [d.id, d.body, d.attempts])).toEqual([['D1', '{"a":1}', 0], ['D2', '{"a":2}', 0]]);
    await h.store.deliveryFailed('D1', 5_000, 'receiver answered 503');
    expect((await h.store.dueDeliveries(4_999, 10)).map((d) => d.id)).toEqual(['D2']);
    await h.store.deliveryDone('D2', '2026-01-01T00:00:03.000Z');
    expect(await h.store.pendingDeliveries()).toBe(1);
    const later = await h.store.dueDeliveries(5_000, 10);
    expect(later).toEqual([expect.objectContaining({ id: 'D1', attempts: 1, nextAttemptAt: 5_000 })]);
  });
});
