import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '@shared/domain/customer';
import type { DesktopBackend } from '../../../src-main/services/desktop-backend';
import type { RunningServer } from '../../../src-server/routing-server';
import { startDesktops, until } from '../../support/desktops';
import { api, startServer } from '../../support/stack';
import { recordPops, value } from '../desktop-routing/helpers';

const household = '+1 (212) 736-5000';
const family = [
  { record_id: 'F-1', given_name: 'Miriam', family_name: 'Okafor', date_of_birth: '1961-04-02', phone: household, email: 'miriam.okafor@example.org', account_id: 'HH-9001', city: 'Leeds' },
  { record_id: 'F-2', given_name: 'Tobenna', family_name: 'Okafor', date_of_birth: '1994-11-30', phone: household, email: 'toby.okafor@example.net', account_id: 'HH-9002', city: 'Leeds' },
];

async function profile(server: RunningServer, id: string): Promise<CustomerProfile> {
  const bundle = await server.store.customerBundle(id);
  if (!bundle) throw new Error(`no customer ${id}`);
  return bundle.customer;
}

describe('identity from the agent desktop: pick, merge, split against a real server', () => {
  let server: RunningServer;
  let removeServer: () => void;
  let ava: DesktopBackend;
  let closeDesktops: () => Promise<void>;
  let miriam = '';
  let toby = '';

  beforeAll(async () => {
    ({ server, remove: removeServer } = await startServer({ demoCustomers: 60, reservationTimeoutMs: 60_000 }));
    const ingested = await api(server, 'POST', '/api/identity/records', { source: 'crm2', records: family });
    expect(ingested.body).toMatchObject({ inserted: 2 });
    const desks = await startDesktops(server.url, ['ava']);
    ava = desks.backends[0]!;
    closeDesktops = desks.close;
  });

  afterAll(async () => {
    await closeDesktops?.();
    await server?.close();
    removeServer?.();
  });

  it('offers the candidates of a shared phone by name, with how sure and how each matched; picking one binds the call and confirms', async () => {
    const pops = recordPops(ava);
    value(await ava.invoke('presence.set', { presence: 'available' }));
    const call = await api(server, 'POST', '/api/calls', { callerNumber: household, language: 'en' });
    expect(call.status).toBeLessThan(300);
    await until(() => pops.length > 0, 10_000, 'the offer');
    const offered = pops[0]!;
    expect(offered.call.customerId).toBeNull();
    expect(offered.match.candidates).toHaveLength(2);

    const { candidates } = value(await ava.invoke('identity.candidates', { callId: offered.call.id }));
    expect(candidates.map((c) => c.name).sort()).toEqual(['Miriam Okafor', 'Tobenna Okafor']);
    expect(candidates.every((c) => c.matchedOn.includes('phone') && c.confidence !== null && c.confidence < 0.8)).toBe(true);
    expect(candidates.find((c) => c.name.startsWith('Miriam'))?.birthYear).toBe(1961);
    miriam = candidates.find((c) => c.name.startsWith('Miriam'))!.customerId;
    toby = candidates.find((c) => c.name.startsWith('Tobenna'))!.customerId;

    const wrong = await ava.invoke('identity.pick', { callId: offered.call.id, customerId: 'C-NOT-A-CANDIDATE' });
    expect(wrong.ok).toBe(false);
    const bad = await ava.invoke('identity.pick', { callId: offered.call.id } as never);
    expect(bad.ok ? null : bad.error.code).toBe('invalid_input');

    expect(value(await ava.invoke('identity.pick', { callId: offered.call.id, customerId: toby }))).toEqual({ confirmed: true });
    const current = value(await ava.invoke('call.current', {})).current;
    expect(current?.pop.call.customerId).toBe(toby);
    expect(current?.pop.customer?.givenName).toBe('Tobenna');
    expect(current?.pop.match.method).toBe('picked by agent');
    const decisions = await server.store.identityDecisions();
    expect(decisions.map((d) => [d.kind, d.customerIds])).toEqual([['confirm', [toby]]]);
    value(await ava.invoke('call.accept', { callId: offered.call.id }));
  });

  it('finds a profile to merge with by account id, merges it into the one on screen, and the pop shows both records', async () => {
    const found = value(await ava.invoke('identity.find', { query: 'HH-9001' }));
    expect(found.candidates.map((c) => [c.customerId, c.matchedOn])).toEqual([[miriam, ['account']]]);
    expect((await ava.invoke('identity.find', { query: 'x' })).ok).toBe(false);

    const merged = value(await ava.invoke('identity.merge', { customerIds: [toby, miriam] }));
    expect(merged.changedCustomers).toContain(toby);
    const pop = value(await ava.invoke('call.current', {})).current!.pop;
    expect(pop.customer?.identity?.links.map((l) => l.recordId).sort()).toEqual(['F-1', 'F-2']);
    expect(pop.customer?.identity?.clusterConfidence).toBe(1);
    expect((await profile(server, miriam)).identity?.mergedInto).toBe(toby);
  });

  it('splits a record off the profile on screen for good: the pop loses it and a changed re-send does not bring it back', async () => {
    const { records } = value(await ava.invoke('identity.records', { customerId: toby }));
    expect(records.map((r) => `${r.source}:${r.recordId} ${r.name}`).sort()).toEqual(['crm2:F-1 Miriam Okafor', 'crm2:F-2 Tobenna Okafor']);
    expect(records.find((r) => r.recordId === 'F-1')).toMatchObject({ dateOfBirth: '1961-04-02', accountId: 'HH-9001' });

    const split = value(await ava.invoke('identity.split', { customerId: toby, recordIds: ['F-1'] }));
    expect(split.changedCustomers).toContain(toby);
    const pop = value(await ava.invoke('call.current', {})).current!.pop;
    expect(pop.customer?.identity?.links.map((l) => l.recordId)).toEqual(['F-2']);
    expect(pop.customer?.givenName).toBe('Tobenna');

    await api(server, 'POST', '/api/identity/records', { source: 'crm2', records: [{ ...family[0], email: 'miriam@example.org' }] });
    expect((await profile(server, toby)).sourceRecordIds).toEqual(['F-2']);
    const whole = await ava.invoke('identity.split', { customerId: toby, recordIds: ['F-2'] });
    expect(whole.ok ? null : whole.error.code).toBe('whole_profile');
  });

  it('leaves the agent actions to agents and supervisors', async () => {
    expect((await api(server, 'POST', '/api/identity/split', { customerId: toby, recordIds: ['F-2'] })).status).toBe(403);
    expect((await api(server, 'GET', '/api/identity/find?q=HH-9001')).status).toBe(403);
    expect((await api(server, 'GET', `/api/identity/customers/${toby}/records`, undefined, '')).status).toBe(401);
    // Re-resolving the whole book is for integrations and supervisors, not agents.
    const login = await api(server, 'POST', '/api/auth/login', { username: 'ava', password: 'demo' }, '');
    expect((await api(server, 'POST', '/api/identity/resolve', {}, login.body.token as string)).status).toBe(403);
    expect((await api(server, 'POST', '/api/identity/resolve', {})).status).toBe(200);
  });
});

describe('the configured default region', () => {
  it('reaches identity standardisation: a national number is read in that region', async () => {
    const { server, remove } = await startServer({ demoCustomers: 5, defaultRegion: 'GB' });
    try {
      const sent = await api(server, 'POST', '/api/identity/records', { source: 'crm2', records: [{ record_id: 'UK-1', given_name: 'Ada', family_name: 'Byron', phone: '020 7946 0018', account_id: 'UK-ACC-1' }] });
      const id = (sent.body.changedCustomers as string[])[0]!;
      expect((await profile(server, id)).phones).toEqual(['+442079460018']);
    } finally {
      await server.close();
      remove();
    }
  });
});
