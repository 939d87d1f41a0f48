import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  contentHash,
  importFile,
  ImportSetupError,
  InMemoryRecordStore,
  listMappingProfiles,
  loadMappingProfile,
  MappingProfileError,
  saveMappingProfile,
  upsertRecords,
} from '../../../src-server/import';
import type { ImportEvent, ImportOptions, StoredRecord } from '../../../src-server/import';

const FIXTURES = join(import.meta.dirname, '../../fixtures/identity');
const scratch = mkdtempSync(join(tmpdir(), 'holdfast-identity-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function collect(path: string, options: ImportOptions): Promise<ImportEvent[]> {
  const events: ImportEvent[] = [];
  for await (const event of importFile(path, options)) events.push(event);
  return events;
}

const recordsOf = (events: ImportEvent[]) => events.flatMap((event) => (event.kind === 'record' ? [event] : []));
const errorsOf = (events: ImportEvent[]) => events.flatMap((event) => (event.kind === 'error' ? [event.error] : []));

async function* asStored(path: string, options: ImportOptions): AsyncGenerator<StoredRecord> {
  for await (const event of importFile(path, options)) if (event.kind === 'record') yield { record: event.record, hash: event.hash };
}

describe('CSV import', () => {
  const path = join(FIXTURES, 'crm-with-bad-rows.csv');

  it('reports each bad row by line, column and reason and still imports the good rows', async () => {
    const events = await collect(path, { source: 'crm', mapping: { record_id: 'id' } });
    const records = recordsOf(events);
    expect(records.map((event) => event.record.record_id)).toEqual(['C1', 'C5', 'C6']);
    expect(records.map((event) => event.line)).toEqual([2, 6, 7]);
    expect(records[2]?.record).toMatchObject({ source: 'crm', given_name: 'Fay, Jr', family_name: 'Ong', date_of_birth: '1970-07-07' });
    // The unreadable date is kept as text; standardisation flags it later.
    expect(records[1]?.record.date_of_birth).toBe('not a date');

    const errors = errorsOf(events);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatchObject({ line: 3, column: null, reason: 'expected 6 columns, found 4' });
    expect(errors[1]).toMatchObject({ line: 4, column: 'id', reason: 'record id is empty' });
    expect(errors[2]).toMatchObject({ line: 5, reason: expect.stringMatching(/quote/i) });
  });

  it('auto-maps synonyms and refuses a mapping to a column that does not exist', async () => {
    const events = await collect(path, { source: 'crm', mapping: { record_id: 'id' } });
    expect(events[0]).toMatchObject({
      kind: 'mapping',
      mapping: { record_id: 'id', given_name: 'first_name', family_name: 'last_name', phone: 'phone', date_of_birth: 'dob', email: 'email' },
    });
    await expect(collect(path, { mapping: { record_id: 'id', phone: 'mobile' } })).rejects.toThrow(ImportSetupError);
    await expect(collect(path, { mapping: { record_id: 'id', phone: 'mobile' } })).rejects.toThrow(/phone=mobile/);
  });

  it('re-importing the same file changes nothing; a changed row updates', async () => {
    const store = new InMemoryRecordStore();
    const options = { source: 'crm', mapping: { record_id: 'id' } };
    expect(await upsertRecords(store, asStored(path, options))).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
    expect(await upsertRecords(store, asStored(path, options))).toEqual({ inserted: 0, updated: 0, unchanged: 3 });

    const changed = join(scratch, 'crm-changed.csv');
    writeFileSync(changed, 'email,id,first_name\nann@new.example,C1,Ann\n');
    expect(await upsertRecords(store, asStored(changed, options))).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    expect(store.size).toBe(3);
  });

  it('hashes content, not column order', () => {
    const a = contentHash({ source: 's', record_id: '1', given_name: 'Ann', email: null });
    const b = contentHash({ email: undefined, given_name: 'Ann', record_id: '1', source: 's' });
    expect(a).toBe(b);
    expect(contentHash({ source: 's', record_id: '1', given_name: 'Anne' })).not.toBe(a);
  });
});

describe('JSON import', () => {
  it('streams NDJSON: bad lines are errors with their line number, numbers become text', async () => {
    const events = await collect(join(FIXTURES, 'support.ndjson'), { source: 'support', mapping: { record_id: 'ticket', given_name: 'name_first' } });
    expect(recordsOf(events).map((event) => [event.record.record_id, event.record.phone ?? null, event.line])).toEqual([
      ['T1', '+12127365000', 1],
      ['T5', '6175550102', 6],
    ]);
    expect(errorsOf(events).map((error) => [error.line, error.column, error.reason.split(':')[0]])).toEqual([
      [2, null, 'invalid JSON'],
      [3, null, 'line is not a JSON object'],
      [4, 'name_first', 'given_name must be text or a number, not an object'],
    ]);
  });

  it('streams a JSON array of objects, reporting elements that are not records', async () => {
    const events = await collect(join(FIXTURES, 'billing.json'), { source: 'billing', mapping: { record_id: 'acct', account_id: 'acct' } });
    expect(recordsOf(events).map((event) => [event.record.record_id, event.record.given_name, event.line])).toEqual([
      ['A1', 'Ann', 2],
      ['A2', 'Ben', 3],
      ['A3', 'Cal', 5],
    ]);
    expect(errorsOf(events)).toEqual([expect.objectContaining({ line: 4, reason: 'array element is not an object' })]);
  });

  it('reads a large file without holding it (20,000 NDJSON rows)', async () => {
    const big = join(scratch, 'big.ndjson');
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) lines.push(JSON.stringify({ id: `R${i}`, first_name: 'X', phone: `212736${String(i).padStart(4, '0')}` }));
    writeFileSync(big, lines.join('\n'));
    let count = 0;
    for await (const event of importFile(big, { source: 'big' })) if (event.kind === 'record') count++;
    expect(count).toBe(20_000);
  });
});

describe('mapping profiles', () => {
  it('saves named profiles and reuses them for later imports', async () => {
    const directory = join(scratch, 'profiles');
    await saveMappingProfile(directory, { name: 'crm-export', source: 'crm', format: 'csv', fields: { record_id: 'id', given_name: 'first_name', family_name: 'last_name' } });
    await saveMappingProfile(directory, { name: 'support-tickets', source: 'support', fields: { record_id: 'ticket', given_name: 'name_first' } });
    expect(await listMappingProfiles(directory)).toEqual(['crm-export', 'support-tickets']);

    const profile = await loadMappingProfile(directory, 'support-tickets');
    const events = await collect(join(FIXTURES, 'support.ndjson'), { profile });
    expect(recordsOf(events).map((event) => [event.record.source, event.record.given_name])).toEqual([
      ['support', 'Ann'],
      ['support', 'Eve'],
    ]);
  });

  it('explains a missing or malformed profile', async () => {
    const directory = join(scratch, 'broken');
    await expect(loadMappingProfile(directory, 'nope')).rejects.toThrow(MappingProfileError);
    await saveMappingProfile(directory, { name: 'ok', fields: { record_id: 'id' } });
    writeFileSync(join(directory, 'bad.mapping.json'), JSON.stringify({ name: 'bad', fields: { nickname: 'x' } }));
    await expect(loadMappingProfile(directory, 'bad')).rejects.toThrow(/fields/);
    await expect(saveMappingProfile(directory, { name: '../escape', fields: {} })).rejects.toThrow();
  });
});
