import type { Change, ChangesPage } from '@shared/contract/sync';
import { languageSchema } from '@shared/domain/language';
import type { CustomerScope } from '../roles/feed-store';
import { MODEL_DOCUMENT_PREFIX, PLAYBOOK_DOCUMENT, SNAPSHOT_THRESHOLD } from './constants';

/** One row of the feed query: offer stats carry their counts in made/accepted and their segment in seg, models their kind in seg. */
export interface FeedRow {
  entity: Change['entity'];
  seq: number | string;
  data: string;
  made: number | null;
  accepted: number | null;
  seg: string | null;
}

/**
 * The change feed as one query: every entity row whose seq is past `after`,
 * in seq order, at most `limit`. The placeholders and the typed NULLs are
 * the dialect's (SQLite: named parameters and bare NULL; PostgreSQL: $n and casts).
 */
export function feedSql(dialect: { after: string; limit: string; nullInteger: string; nullText: string }, scope: CustomerScope = null): string {
  const { after, limit, nullInteger, nullText } = dialect;
  const inScope = scope ? ` AND language IN ${languageList(scope)}` : '';
  const ofScope = scope ? ` AND customer_id IN (SELECT id FROM customers WHERE language IN ${languageList(scope)})` : '';
  return `SELECT entity, seq, data, made, accepted, seg FROM (
      SELECT 'customer' AS entity, seq, data, ${nullInteger} AS made, ${nullInteger} AS accepted, ${nullText} AS seg FROM customers WHERE seq > ${after}${inScope}
      UNION ALL SELECT 'scores', seq, data, NULL, NULL, NULL FROM scores WHERE seq > ${after}${ofScope}
      UNION ALL SELECT 'interaction', seq, data, NULL, NULL, NULL FROM interactions WHERE seq > ${after}${ofScope}
      UNION ALL SELECT 'agent', seq, data, NULL, NULL, NULL FROM agents WHERE role <> 'admin' AND seq > ${after}
      UNION ALL SELECT 'playbook', seq, data, NULL, NULL, NULL FROM documents WHERE kind = '${PLAYBOOK_DOCUMENT}' AND seq > ${after}
      UNION ALL SELECT 'model', seq, data, NULL, NULL, substr(kind, ${MODEL_DOCUMENT_PREFIX.length + 1}) FROM documents WHERE kind LIKE '${MODEL_DOCUMENT_PREFIX}%' AND seq > ${after}
      UNION ALL SELECT 'offer_stat', seq, offer_id, made, accepted, segment FROM offer_stats WHERE seq > ${after}
    ) AS feed ORDER BY seq LIMIT ${limit}`;
}

/**
 * A scope's languages as an SQL list literal. Only language codes get in
 * (checked here, whatever the caller checked), so the text is safe to inline;
 * an empty scope matches nothing.
 */
export function languageList(scope: NonNullable<CustomerScope>): string {
  const codes = scope.languages.map((code) => languageSchema.parse(code));
  return codes.length === 0 ? '(NULL)' : `(${[...new Set(codes)].map((code) => `'${code}'`).join(', ')})`;
}

/** Whether a desktop at `afterSeq` is too far behind `lastSeq` to catch up change by change. */
export const tooFarBehind = (lastSeq: number, afterSeq: number): boolean => lastSeq - afterSeq > SNAPSHOT_THRESHOLD;

/** The answer for a desktop too far behind: take a snapshot. */
export const snapshotRequired = (lastSeq: number): ChangesPage => ({ changes: [], lastSeq, snapshotRequired: true });

/** A page of the feed from its rows; `last` is the feed position read in the same transaction. */
export function changesPage(rows: readonly FeedRow[], last: number, limit: number): ChangesPage {
  const changes = rows.map((row): Change => {
    const seq = Number(row.seq);
    if (row.entity === 'offer_stat') {
      return { seq, entity: 'offer_stat', data: { offerId: row.data, segment: row.seg ?? '', made: row.made ?? 0, accepted: row.accepted ?? 0 } };
    }
    if (row.entity === 'model') return { seq, entity: 'model', data: { kind: row.seg ?? '', model: JSON.parse(row.data) } };
    // Agents' password hashes live in their own column; `data` is the public profile only.
    return { seq, entity: row.entity, data: JSON.parse(row.data) } as Change;
  });
  // A full page stops at its last change; a short one has read up to the position.
  const lastSeq = changes.length === limit ? (changes[changes.length - 1]?.seq ?? last) : last;
  return { changes, lastSeq, snapshotRequired: false };
}
