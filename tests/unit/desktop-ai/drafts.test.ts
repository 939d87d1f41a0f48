import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { WrapUpDraftView, WrapUpForm } from '@shared/contract/desktop-api';
import { runMigrations } from '@shared/storage/migrations';
import { CACHE_MIGRATIONS } from '../../../src-main/services/cache/cache-migrations';
import { LocalCache } from '../../../src-main/services/cache/local-cache';
import type { AiAuditEntry } from '../../../src-main/services/cache/rows/ai-audit';
import { unlockCache } from '../../../src-main/services/cache/cache-cipher';
import { makeTempDir } from '../../support/temp-dir';

const KEY = 'a1'.repeat(32);
const dirs: { remove(): void }[] = [];
function cacheFile(): string {
  const dir = makeTempDir('drafts');
  dirs.push(dir);
  return join(dir.path, 'cache.db');
}
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

const form = (callId: string, notes: string): WrapUpForm => ({
  callId, disposition: 'retained', offerId: null, offerOutcome: 'no_offer', notes, summary: '', followUps: '', transcript: '',
});
const draft: WrapUpDraftView = {
  source: 'model', model: 'm', author: 'model:m', summary: 'Wants to stay.', disposition: 'retained', confidence: 'high', cue: '',
  followUps: [], fallbackReason: null, createdAt: '2026-11-20T10:00:01.000Z',
};

describe('wrap-up draft autosave in the local cache', () => {
  it('keeps the form and the drafter’s proposal side by side, and survives reopening', () => {
    const file = cacheFile();
    let cache = new LocalCache(file, KEY);
    cache.wrapUpDrafts.putForm('C1', 'cust-1', form('C1', 'first'), '2026-11-20T10:00:00.000Z');
    cache.wrapUpDrafts.putResult('C1', null, draft, '2026-11-20T10:00:01.000Z');
    cache.wrapUpDrafts.putForm('C1', null, form('C1', 'second'), '2026-11-20T10:00:02.000Z');
    cache.close();

    cache = new LocalCache(file, KEY);
    expect(cache.wrapUpDrafts.saved('C1')).toEqual({ form: form('C1', 'second'), draft, updatedAt: '2026-11-20T10:00:02.000Z' });
    expect(cache.wrapUpDrafts.saved('C2')).toBeNull();
    cache.wrapUpDrafts.delete('C1');
    expect(cache.wrapUpDrafts.saved('C1')).toBeNull();
    cache.close();
  });

  it('drops a part that no longer parses, and the whole draft when neither does', () => {
    const file = cacheFile();
    let cache = new LocalCache(file, KEY);
    cache.wrapUpDrafts.putForm('C1', null, form('C1', 'kept'), '2026-11-20T10:00:00.000Z');
    cache.wrapUpDrafts.putResult('C1', null, draft, '2026-11-20T10:00:01.000Z');
    cache.wrapUpDrafts.putForm('C2', null, form('C2', 'x'), '2026-11-20T10:00:00.000Z');
    cache.close();
    // As an older app (or a damaged write) might have left them.
    const db = new Database(file);
    unlockCache(db, KEY);
    db.prepare("UPDATE wrapup_drafts SET draft = '{\"author\":\"model:m\"}' WHERE call_id = 'C1'").run();
    db.prepare("UPDATE wrapup_drafts SET form = '{\"callId\": 5' WHERE call_id = 'C2'").run();
    db.close();

    cache = new LocalCache(file, KEY);
    expect(cache.wrapUpDrafts.saved('C1')).toEqual({ form: form('C1', 'kept'), draft: null, updatedAt: '2026-11-20T10:00:01.000Z' });
    expect(cache.wrapUpDrafts.saved('C2')).toBeNull();
    cache.close();
  });

  it('drops drafts of calls long gone', () => {
    const cache = new LocalCache(cacheFile(), KEY);
    cache.wrapUpDrafts.putForm('old', null, form('old', 'x'), '2026-01-01T00:00:00.000Z');
    cache.wrapUpDrafts.putForm('new', null, form('new', 'y'), '2026-11-20T00:00:00.000Z');
    expect(cache.wrapUpDrafts.prune('2026-11-13T00:00:00.000Z')).toBe(1);
    expect(cache.wrapUpDrafts.saved('old')).toBeNull();
    expect(cache.wrapUpDrafts.saved('new')).not.toBeNull();
    cache.close();
  });
});

describe('AI audit rows and settings in the local cache', () => {
  const entry = (callId: string, payload: string): AiAuditEntry => ({
    at: '2026-11-20T10:00:00.000Z', agentId: 'A001', callId, customerId: 'cust-1', purpose: 'brief', model: 'm', endpointHost: '127.0.0.1:1',
    payloadSha256: 'ab'.repeat(32), payload, tokens: { prompt: 10, completion: 5, total: 15, estimated: true }, outcome: 'ok', fallbackReason: null,
    attempts: 1, latencyMs: 12.5, firstTokenMs: null,
  });

  it('lists newest first without payloads, filters by call, and keeps only the newest rows', () => {
    const cache = new LocalCache(cacheFile(), KEY);
    const ids = ['C1', 'C2', 'C1', 'C3'].map((callId, i) => cache.aiAudit.insert(entry(callId, `payload ${i} é`), 3));
    const all = cache.aiAudit.summaries(10);
    expect(all.map((r) => r.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect(all[0]).not.toHaveProperty('payload');
    expect(all[0]).toMatchObject({ callId: 'C3', tokens: { prompt: 10, completion: 5, total: 15, estimated: true }, latencyMs: 12.5, firstTokenMs: null, payloadBytes: Buffer.byteLength('payload 3 é') });
    expect(cache.aiAudit.summaries(10, 'C1').map((r) => r.id)).toEqual([ids[2]]);
    expect(cache.aiAudit.payload(ids[2] as number)?.payload).toBe('payload 2 é');
    expect(cache.aiAudit.payload(ids[0] as number)).toBeNull();
    cache.close();
  });

  it('stores settings by key, as JSON read back through a schema', () => {
    const cache = new LocalCache(cacheFile(), KEY);
    expect(cache.settings.get('x', z.number())).toBeNull();
    cache.settings.put('x', 1);
    cache.settings.put('x', 2);
    expect(cache.settings.get('x', z.number())).toBe(2);
    expect(cache.settings.get('x', z.string())).toBeNull();
    cache.close();
  });

  it('upgrades a version-1 cache in place, keeping what it held', () => {
    const file = cacheFile();
    const db = new Database(file);
    unlockCache(db, KEY);
    runMigrations(db, CACHE_MIGRATIONS.filter((m) => m.version === 1), 'local cache');
    db.prepare("INSERT INTO meta (key, value) VALUES ('last_seq', '41')").run();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();

    const cache = new LocalCache(file, KEY);
    expect(cache.feed.lastAppliedSeq()).toBe(41);
    cache.settings.put('ai.endpoint', {});
    expect(cache.settings.get('ai.endpoint', z.object({}))).toEqual({});
    cache.close();
  });
});
