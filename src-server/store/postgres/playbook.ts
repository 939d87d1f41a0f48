import { normalisePlaybook, type OfferStat, type Playbook } from '@shared/playbook/playbook';
import { PLAYBOOK_DOCUMENT, SAVED_DISPOSITION } from '../common/constants';
import { funnelsFrom, type FunnelRow } from '../common/funnel';
import { json } from '../common/rows';
import { deepFreeze } from '@shared/util/deep-freeze';
import type { PlaybookStore } from '../roles/playbook-store';
import type { PoolClient } from 'pg';
import { countOffer, reserveSeqs, type PgContext, type Queryable } from './database';

/** The playbook (also on the first snapshot page). */
export async function readPlaybook(db: Queryable): Promise<Playbook | null> {
  const row = (await db.query<{ data: string }>('SELECT data FROM documents WHERE kind = $1', [PLAYBOOK_DOCUMENT])).rows[0];
  return row ? normalisePlaybook(JSON.parse(row.data)) : null;
}

/** Every offer's counts (also on the first snapshot page). */
export async function readOfferStats(db: Queryable): Promise<OfferStat[]> {
  const { rows } = await db.query<{ offer_id: string; segment: string; made: number; accepted: number }>(
    'SELECT offer_id, segment, made, accepted FROM offer_stats ORDER BY offer_id, segment',
  );
  return rows.map((r) => ({ offerId: r.offer_id, segment: r.segment, made: r.made, accepted: r.accepted }));
}

/** Calls that stopped at a step count as lost or kept there; "reached" counts each call once, however often it looped. */
const FUNNEL_SQL = `
  WITH o AS (
    SELECT id, (data::jsonb) -> 'script' ->> 'scriptId' AS script_id, (data::jsonb) -> 'script' -> 'path' AS path, disposition
    FROM outcomes
    WHERE received_at >= $1 AND disposition <> 'not_retention' AND jsonb_typeof((data::jsonb) -> 'script' -> 'path') = 'array'
  )
  SELECT o.script_id, s.step_id, (MIN(s.ord) - 1)::int AS first_at, COUNT(DISTINCT o.id)::int AS reached,
    SUM(CASE WHEN s.ord = jsonb_array_length(o.path) AND o.disposition = 'churned' THEN 1 ELSE 0 END)::int AS lost,
    SUM(CASE WHEN s.ord = jsonb_array_length(o.path) AND o.disposition = $2 THEN 1 ELSE 0 END)::int AS saved
  FROM o CROSS JOIN LATERAL jsonb_array_elements_text(o.path) WITH ORDINALITY AS s(step_id, ord)
  GROUP BY o.script_id, s.step_id`;

const FUNNEL_CALLS_SQL = `
  SELECT (data::jsonb) -> 'script' ->> 'scriptId' AS script_id, COUNT(*)::int AS calls FROM outcomes
  WHERE received_at >= $1 AND disposition <> 'not_retention' AND jsonb_typeof((data::jsonb) -> 'script' -> 'path') = 'array'
  GROUP BY 1`;

async function writePlaybook(client: PoolClient, playbook: Playbook): Promise<void> {
  const seq = await reserveSeqs(client, 1);
  await client.query(
    `INSERT INTO documents (kind, data, seq) VALUES ($1, $2, $3)
     ON CONFLICT (kind) DO UPDATE SET data = excluded.data, seq = excluded.seq`,
    [PLAYBOOK_DOCUMENT, json(playbook), seq],
  );
}

export function postgresPlaybook({ pool, transaction }: PgContext): PlaybookStore {
  /** The last playbook read, frozen: every caller shares it. */
  let parsed: { seq: string; playbook: Playbook } | null = null;
  return {
    async putPlaybook(playbook) {
      await transaction('READ WRITE', (client) => writePlaybook(client, playbook));
    },
    async publishPlaybook(draft, baseVersion, by, at) {
      return transaction('READ WRITE', async (client) => {
        // One publisher at a time: the row lock on the current playbook orders concurrent publishes.
        const row = (await client.query<{ data: string }>('SELECT data FROM documents WHERE kind = $1 FOR UPDATE', [PLAYBOOK_DOCUMENT])).rows[0];
        const current = row ? normalisePlaybook(JSON.parse(row.data)).version : 0;
        if (current !== baseVersion) return { conflict: true as const, currentVersion: current };
        const published: Playbook = { ...draft, version: current + 1, publishedAt: at, publishedBy: by };
        await client.query('INSERT INTO playbook_versions (version, published_at, published_by, data) VALUES ($1, $2, $3, $4)', [published.version, at, by, json(published)]);
        await writePlaybook(client, published);
        return published;
      });
    },
    async playbookVersions() {
      const { rows } = await pool.query<{ version: number; published_at: string; published_by: string }>('SELECT version, published_at, published_by FROM playbook_versions ORDER BY version DESC');
      return rows.map((r) => ({ version: r.version, publishedAt: r.published_at, publishedBy: r.published_by }));
    },
    async scriptFunnel(sinceIso) {
      const rows = (await pool.query<FunnelRow>(FUNNEL_SQL, [sinceIso, SAVED_DISPOSITION])).rows;
      const calls = (await pool.query<{ script_id: string; calls: number }>(FUNNEL_CALLS_SQL, [sinceIso])).rows;
      return funnelsFrom(rows, new Map(calls.map((c) => [c.script_id, c.calls])));
    },
    async playbook() {
      // The routing node reads the playbook for every call; parsing and checking it each time took 4% of its time
      // at 40 calls a second. Every write gives the row a new seq, so an unchanged seq means the parsed copy holds.
      const { rows } = await pool.query<{ seq: string; data: string | null }>(
        'SELECT seq, CASE WHEN seq = $2 THEN NULL ELSE data END AS data FROM documents WHERE kind = $1',
        [PLAYBOOK_DOCUMENT, parsed?.seq ?? null],
      );
      const row = rows[0];
      if (!row) return null;
      if (row.data !== null) parsed = { seq: row.seq, playbook: deepFreeze(normalisePlaybook(JSON.parse(row.data))) };
      return parsed?.playbook ?? null;
    },
    async bumpOfferStat(offerId, segment, accepted): Promise<OfferStat> {
      return transaction('READ WRITE', async (client) => {
        const seq = await reserveSeqs(client, 1);
        return { offerId, segment, ...(await countOffer(client, { offerId, segment, accepted }, seq)) };
      });
    },
    async offerStats() {
      return readOfferStats(pool);
    },
  };
}
