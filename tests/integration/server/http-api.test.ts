import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startServer } from '../../support/stack';
import type { RunningServer } from '../../../src-server/routing-server';

describe('routing server HTTP API', () => {
  let server: RunningServer;
  let remove: () => void;

  beforeAll(async () => {
    ({ server, remove } = await startServer({ demoCustomers: 50 }));
  });
  afterAll(async () => {
    await server.close();
    remove();
  });

  it('lists demo users in demo mode', async () => {
    const info = await api(server, 'GET', '/api/info');
    expect(info.status).toBe(200);
    expect(info.body.demoMode).toBe(true);
    expect((info.body.demoUsers as unknown[]).length).toBeGreaterThan(10);
  });

  it('logs in with the right password and refuses a wrong one', async () => {
    const ok = await api(server, 'POST', '/api/auth/login', { username: 'ava', password: 'demo' }, '');
    expect(ok.status).toBe(200);
    expect(typeof ok.body.token).toBe('string');
    expect((ok.body.agent as { role: string }).role).toBe('agent');
    const wrong = await api(server, 'POST', '/api/auth/login', { username: 'ava', password: 'nope' }, '');
    expect(wrong.status).toBe(401);
    const unknown = await api(server, 'POST', '/api/auth/login', { username: 'nobody', password: 'demo' }, '');
    expect(unknown.status).toBe(401);
    expect(unknown.body.message).toBe(wrong.body.message);
  });

  it('answers 401 for a missing or bad token', async () => {
    expect((await api(server, 'POST', '/api/calls', { callerNumber: '+12125550100' }, '')).status).toBe(401);
    expect((await api(server, 'POST', '/api/calls', { callerNumber: '+12125550100' }, 'not-a-token')).status).toBe(401);
    expect((await api(server, 'GET', '/api/sync/snapshot', undefined, 'eyJhbGciOiJIUzI1NiJ9.e30.bad')).status).toBe(401);
  });

  it('enforces roles on the server', async () => {
    const login = await api(server, 'POST', '/api/auth/login', { username: 'ava', password: 'demo' }, '');
    const agentToken = String(login.body.token);
    // Agents may not inject calls or read the supervisor view.
    expect((await api(server, 'POST', '/api/calls', { callerNumber: '+12125550100' }, agentToken)).status).toBe(403);
    expect((await api(server, 'GET', '/api/supervisor/state', undefined, agentToken)).status).toBe(403);
    const sup = await api(server, 'POST', '/api/auth/login', { username: 'rachel', password: 'demo' }, '');
    expect((await api(server, 'GET', '/api/supervisor/state', undefined, String(sup.body.token))).status).toBe(200);
  });

  it('names the bad field in a 400 for a malformed call', async () => {
    const missing = await api(server, 'POST', '/api/calls', { language: 'en' });
    expect(missing.status).toBe(400);
    expect(missing.body.field).toBe('callerNumber');
    const badLanguage = await api(server, 'POST', '/api/calls', { callerNumber: '+12125550100', language: 'klingon' });
    expect(badLanguage.status).toBe(400);
    expect(badLanguage.body.field).toBe('language');
    expect(String(badLanguage.body.message)).toContain('language');
    const badIntent = await api(server, 'POST', '/api/calls', { callerNumber: '+12125550100', intent: 42 });
    expect(badIntent.body.field).toBe('intent');
    const notJson = await api(server, 'POST', '/api/calls', '{"callerNumber": ');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toBe('invalid_request');
  });

  it('keeps serving, and loses nothing stored, after bad requests', async () => {
    // What is stored: the book, the change feed, the open calls, and one customer in full.
    const fingerprint = async (): Promise<unknown> => {
      const page = await server.store.snapshotPage(null, 5);
      return {
        customers: await server.store.customerCount(),
        lastSeq: await server.store.lastSeq(),
        openCalls: (await server.store.openCalls()).length,
        first: await server.store.customerBundle(page.customers[0]!.id),
      };
    };
    const before = await fingerprint();
    const customerId = ((await server.store.snapshotPage(null, 1)).customers[0]!).id;
    const hostile: [string, string, unknown][] = [
      ['POST', '/api/calls', { callerNumber: null }],
      ['POST', '/api/calls', { callerNumber: 'x'.repeat(5000) }],
      ['POST', '/api/calls', { callerNumber: '+12125550100', accountId: { $gt: '' } }],
      ['POST', '/api/calls', '[1,2,3]'],
      ['POST', '/api/calls/CALL-nope/end', { reason: 'x'.repeat(100_000) }],
      ['PATCH', `/api/customers/${customerId}`, { field: 'id', value: 'C-stolen' }],
      ['PATCH', `/api/customers/${customerId}`, { field: 'email', value: 42 }],
      ['PATCH', '/api/customers/C-does-not-exist', { field: 'email', value: 'a@b.example' }],
      ['GET', '/api/customers/%00', undefined],
    ];
    for (let round = 0; round < 3; round++) {
      for (const [method, path, body] of hostile) {
        const answer = await api(server, method, path, body);
        expect(answer.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
        expect(answer.status, `${method} ${path}`).toBeLessThan(500);
      }
    }
    expect(await fingerprint()).toEqual(before);
    const good = await api(server, 'POST', '/api/calls', { callerNumber: '+12125550100', language: 'en', intent: 'billing' });
    expect(good.status).toBe(201);
    expect(String(good.body.callId)).toMatch(/^CALL-/);
  });

  it('resolves a known caller by phone and ends a call', async () => {
    const page = await server.store.snapshotPage(null, 10);
    const customer = page.customers.find((c) => c.phones.length > 0)!;
    const created = await api(server, 'POST', '/api/calls', { callerNumber: customer.phones[0], accountId: customer.accountId });
    expect(created.body.customerId).toBe(customer.id);
    const ended = await api(server, 'POST', `/api/calls/${String(created.body.callId)}/end`, {});
    expect(ended.status).toBe(200);
    expect(ended.body.state).toBe('abandoned');
    expect((await api(server, 'POST', '/api/calls/CALL-nope/end', {})).status).toBe(404);
  });
});
