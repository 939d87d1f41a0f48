import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src-server/routing-server';
import { DEMO_TELEPHONY_KEY } from '../../../src-server/config';
import { api, login, startServer } from '../../support/stack';

async function raw(server: { url: string }, method: string, path: string, body: unknown, token: string): Promise<Response> {
  return fetch(new URL(path, server.url), {
    method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body),
  });
}

describe('rate limits on HTTP writes', () => {
  let server: RunningServer;
  let remove: () => void;

  beforeAll(async () => {
    ({ server, remove } = await startServer({ demoCustomers: 30, rateLimit: { windowMs: 60_000, writes: 5, telephonyWrites: 12 } }));
  });
  afterAll(async () => {
    await server.close();
    remove();
  });

  it('answers a flood of writes from one token with 429 and Retry-After, and runs none of them', async () => {
    const { token } = await login(server, 'rachel');
    const customerId = (await server.store.snapshotPage(null, 1)).customers[0]!.id;
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 8; i += 1) {
      const response = await raw(server, 'PATCH', `/api/customers/${customerId}`, { field: 'email', value: `n${i}@example.com` }, token);
      statuses.push(response.status);
      if (response.status === 429) refused ??= response;
      else await response.body?.cancel();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused!.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await refused!.json()).toMatchObject({ error: 'rate_limited', message: expect.stringContaining('Too many writes') as unknown });
    // The last write that counted is the one stored.
    expect((await server.store.customerBundle(customerId))?.customer.email).toBe('n4@example.com');
    // Reads are not limited; another supervisor's writes have their own count.
    expect((await api(server, 'GET', `/api/customers/${customerId}`, undefined, token)).status).toBe(200);
    const other = await login(server, 'marcus');
    expect((await raw(server, 'PATCH', `/api/customers/${customerId}`, { field: 'email', value: 'm@example.com' }, other.token)).status).toBe(200);
  });

  it('gives the telephony key its own, higher limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 14; i += 1) {
      const response = await raw(server, 'POST', '/api/calls', { callerNumber: `+1212555${String(1000 + i)}`, language: 'en' }, DEMO_TELEPHONY_KEY);
      statuses.push(response.status);
      await response.body?.cancel();
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(12);
    expect(statuses.slice(12)).toEqual([429, 429]);
  });
});
