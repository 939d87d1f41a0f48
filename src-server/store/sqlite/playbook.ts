import type Database from 'better-sqlite3-multiple-ciphers';
import { normalisePlaybook, type OfferStat, type Playbook } from '@shared/playbook/playbook';
import { PLAYBOOK_DOCUMENT, SAVED_DISPOSITION } from '../common/constants';
import { funnelsFrom, type FunnelRow } from '../common/funnel';
import { json } from '../common/rows';
import type { PlaybookStore } from '../roles/playbook-store';
import type { SqliteContext } from './database';

/** The playbook (also on the first snapshot page). */
export function readPlaybook(db: Database.Database): Playbook | null {
  const row = db.prepare<[string], { data: string }>('SELECT data FROM documents WHERE kind = ?').get(PLAYBOOK_DOCUMENT);
  return row ? normalisePlaybook(JSON.parse(row.data)) : null;
}

/** Every offer's counts (also on the first snapshot page). */
export function readOfferStats(db: Database.Database): OfferStat[] {
  return db.prepare<[], { offer_id: string; segment: string; made: number; accepted: number }>('SELECT offer_id, segment, made, accepted FROM offer_stats').all()
    .map((r) => ({ offerId: r.offer_id, segment: r.segment, made: r.made, accepted: r.accepted }));
}

/** Calls that stopped at a step count as lost or kept there; "reached" counts each call once, however often it looped. */
const FUNNEL_SQL = `
  WITH o AS (
    SELECT id, json_extract(data, '$.script.scriptId') AS script_id, json_extract(data, '$.script.path') AS path, disposition
    FROM outcomes
    WHERE received_at >= ? AND disposition <> 'not_retention' AND json_type(data, '$.script.path') = 'array'
  )
  SELECT o.script_id, s.value AS step_id, MIN(CAST(s.key AS INTEGER)) AS first_at, COUNT(DISTINCT o.id) AS reached,
    SUM(CASE WHEN CAST(s.key AS INTEGER) = json_array_length(o.path) - 1 AND o.disposition = 'churned' THEN 1 ELSE 0 END) AS lost,
    SUM(CASE WHEN CAST(s.key AS INTEGER) = json_array_length(o.path) - 1 AND o.disposition = ? THEN 1 ELSE 0 END) AS saved
  FROM o, json_each(o.path) AS s
  GROUP BY o.script_id, s.value`;

const FUNNEL_CALLS_SQL = `
  SELECT json_extract(data, '$.script.scriptId') AS script_id, COUNT(*) AS calls FROM outcomes
  WHERE received_at >= ? AND disposition <> 'not_retention' AND json_type(data, '$.script.path') = 'array'
  GROUP BY script_id`;

export function sqlitePlaybook({ db, nextSeq, countOffer }: SqliteContext): PlaybookStore {
  const writePlaybook = (playbook: Playbook): void => {
    db.prepare(`INSERT INTO documents (kind, data, seq) VALUES (?, ?, ?)
      ON CONFLICT (kind) DO UPDATE SET data = excluded.data, seq = excluded.seq`).run(PLAYBOOK_DOCUMENT, json(playbook), nextSeq());
  };
  return {
    async putPlaybook(playbook) {
      db.transaction(() => writePlaybook(playbook))();
    },
    async publishPlaybook(draft, baseVersion, by, at) {
      return db.transaction(() => {
        const current = readPlaybook(db)?.version ?? 0;
        if (current !== baseVersion) return { conflict: true as const, currentVersion: current };
        const published: Playbook = { ...draft, version: current + 1, publishedAt: at, publishedBy: by };
        db.prepare('INSERT INTO playbook_versions (version, published_at, published_by, data) VALUES (?, ?, ?, ?)').run(published.version, at, by, json(published));
        writePlaybook(published);
        return published;
      }).immediate();
    },
    async playbookVersions() {
      return db.prepare<[], { version: number; published_at: string; published_by: string }>('SELECT version, published_at, published_by FROM playbook_versions ORDER BY version DESC').all()
        .map((r) => ({ version: r.version, publishedAt: r.published_at, publishedBy: r.published_by }));
    },
    async scriptFunnel(sinceIso) {
      const rows = db.prepare<[string, string], FunnelRow>(FUNNEL_SQL).all(sinceIso, SAVED_DISPOSITION);
      const calls = db.prepare<[string], { script_id: string; calls: number }>(FUNNEL_CALLS_SQL).all(sinceIso);
      return funnelsFrom(rows, new Map(calls.map((c) => [c.script_id, c.calls])));
    },
    async playbook() {
      return readPlaybook(db);
    },
    async bumpOfferStat(offerId, segment, accepted): Promise<OfferStat> {
      return db.transaction(() => {
        countOffer(offerId, segment, accepted);
        const row = db.prepare<[string, string], { made: number; accepted: number }>('SELECT made, accepted FROM offer_stats WHERE offer_id = ? AND segment = ?').get(offerId, segment);
        return { offerId, segment, made: row?.made ?? 0, accepted: row?.accepted ?? 0 };
      })();
    },
    async offerStats() {
      return readOfferStats(db);
    },
  };
}
