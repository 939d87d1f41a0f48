import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerProfile } from '@shared/domain/customer';
import type { CanonicalRecord } from '@shared/identity/canonical';
import { resolveCaller } from '../../../src-server/ingest/resolve-caller';
import type { RunningServer } from '../../../src-server/routing-server';
import { api, login as signIn, startServer } from '../../support/stack';


const login = async (server: RunningServer, username: string): Promise<string> => (await signIn(server, username)).token;

async function customer(server: RunningServer, id: string): Promise<CustomerProfile> {
  const bundle = await server.store.customerBundle(id);
  if (!bundle) throw new Error(`no customer ${id}`);
  return bundle.customer;
}

/** One letter of the given name swapped with its neighbour ("Miriam" -> "Mriiam"): a typo the matcher should forgive. */
function typo(name: string): string {
  return name.length < 4 ? `${name}e` : name.slice(0, 1) + name.slice(2, 3) + name.slice(1, 2) + name.slice(3);
}

/** A record as the HTTP body carries it: every field but the source. */
function body(record: CanonicalRecord): Record<string, string> {
  const { source: _source, ...fields } = record;
  return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

describe('incremental identity ingest over HTTP', () => {
  let server: RunningServer;
  let remove: () => void;
  let agentToken: string;
  let owner: string;
  let crm: CanonicalRecord;

  beforeAll(async () => {
    ({ server, remove } = await startServer({ demoCustomers: 120 }));
    agentToken = await login(server, 'ava');
    const records = await server.store.sourceRecords();
    const found = records.find((r) => r.record.source === 'crm' && r.customerId !== null && r.record.given_name && r.record.family_name && r.record.phone && r.record.date_of_birth && r.record.email);
    if (!found) throw new Error('the demo book has no complete CRM record');
    crm = found.record;
    owner = found.customerId as string;
  });
  afterAll(async () => {
    await server.close();
    remove();
  });

  it('places a new record for an existing person (typo in the name, same phone) into that customer, on the feed and at ring time', async () => {
    const seq = await server.store.lastSeq();
    const record = { record_id: 'INC-1', given_name: typo(crm.given_name as string), family_name: crm.family_name, date_of_birth: crm.date_of_birth, phone: crm.phone };
    const response = await api(server, 'POST', '/api/identity/records', { source: 'helpdesk', record });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ inserted: 1, resolution: 'incremental', changedCustomers: [owner] });

    const profile = await customer(server, owner);
    expect(profile.sourceRecordIds).toContain('INC-1');
    expect(profile.identity?.links.find((link) => link.recordId === 'INC-1')?.confidence).toBeGreaterThan(0);
    const feed = await server.store.changesAfter(seq, 1000);
    const published = feed.changes.filter((c) => c.entity === 'customer' && c.data.id === owner);
    expect(published).toHaveLength(1);
    expect((published[0]!.data as CustomerProfile).sourceRecordIds).toContain('INC-1');
    const stored = (await server.store.sourceRecords()).find((r) => r.record.source === 'helpdesk' && r.record.record_id === 'INC-1');
    expect(stored?.customerId).toBe(owner);

    const caller = await resolveCaller(server.identity, server.store, crm.phone as string, undefined, 'US');
    expect(caller.match.candidates.map((c) => c.customerId)).toContain(owner);
  });

  it('makes a new phone of an existing person reachable at ring time at once', async () => {
    const phone = '+1 (415) 555-0187';
    expect((await resolveCaller(server.identity, server.store, phone, undefined, 'US')).match.candidates).toHaveLength(0);
    const record = { record_id: 'INC-2', given_name: crm.given_name, family_name: crm.family_name, date_of_birth: crm.date_of_birth, email: crm.email, phone };
    const response = await api(server, 'POST', '/api/identity/records', { source: 'helpdesk', record });
    expect(response.body).toMatchObject({ inserted: 1, resolution: 'incremental', changedCustomers: [owner] });
    // The only holder of the number (the pop may still ask if the profile's weakest link is unsure).
    const caller = await resolveCaller(server.identity, server.store, phone, undefined, 'US');
    expect(caller.match.candidates.map((c) => c.customerId)).toEqual([owner]);
    expect(caller.match.method).toBe('phone');
    expect((await customer(server, owner)).phones).toContain('+14155550187');
  });

  it('starts a new customer for a new person, and a re-send of the same record changes nothing', async () => {
    const record = { record_id: 'INC-3', given_name: 'Xiomara', family_name: 'Quennell-Abara', date_of_birth: '1979-02-14', phone: '+1 (646) 555-0142', email: 'xq.abara@example.org', account_id: 'ACC-INC-0003' };
    const response = await api(server, 'POST', '/api/identity/records', { source: 'crm', record });
    expect(response.body).toMatchObject({ inserted: 1, resolution: 'incremental' });
    const created = response.body.changedCustomers as string[];
    expect(created).toHaveLength(1);
    expect(created[0]).not.toBe(owner);
    const fresh = await customer(server, created[0]!);
    expect(fresh).toMatchObject({ givenName: 'Xiomara', accountId: 'ACCINC0003', sourceRecordIds: ['INC-3'] });
    const caller = await resolveCaller(server.identity, server.store, '646-555-0142', undefined, 'US');
    expect(caller.customerId).toBe(created[0]);

    const seq = await server.store.lastSeq();
    const again = await api(server, 'POST', '/api/identity/records', { source: 'crm', record });
    expect(again.body).toMatchObject({ inserted: 0, updated: 0, unchanged: 1, changedCustomers: [], resolution: 'none' });
    expect(await server.store.lastSeq()).toBe(seq);
  });

  it('respects a split: the changed record comes back incrementally and stays out of the profile', async () => {
    const split = await api(server, 'POST', '/api/identity/split', { customerId: owner, recordIds: ['INC-1'] }, agentToken);
    expect(split.status).toBe(200);
    expect((await customer(server, owner)).sourceRecordIds).not.toContain('INC-1');

    // The helpdesk sends the record again, now with the person's email too: a stronger match, still not re-merged.
    const stored = (await server.store.sourceRecords()).find((r) => r.record.source === 'helpdesk' && r.record.record_id === 'INC-1')!;
    const resend = await api(server, 'POST', '/api/identity/records', {
      source: 'helpdesk', record: { ...body(stored.record), email: crm.email, updated_at: '2026-11-22T10:00:00.000Z' },
    });
    expect(resend.body).toMatchObject({ updated: 1, resolution: 'incremental' });
    expect((await customer(server, owner)).sourceRecordIds).not.toContain('INC-1');
    const after = (await server.store.sourceRecords()).find((r) => r.record.source === 'helpdesk' && r.record.record_id === 'INC-1')!;
    expect(after.customerId).not.toBe(owner);
  });

  it('keeps a confirmed record with its profile when it changes beyond recognition', async () => {
    const confirm = await api(server, 'POST', '/api/identity/confirm', { customerId: owner }, agentToken);
    expect(confirm.status).toBe(200);
    const resend = await api(server, 'POST', '/api/identity/records', {
      source: 'helpdesk', record: { record_id: 'INC-2', given_name: 'Bartholomew', family_name: 'Zydeco', phone: '+1 (415) 555-0187' },
    });
    expect(resend.body).toMatchObject({ updated: 1, resolution: 'incremental' });
    const profile = await customer(server, owner);
    expect(profile.sourceRecordIds).toContain('INC-2');
    expect(profile.identity?.confirmed).toBe(true);
  });
});
