import Database from 'better-sqlite3-multiple-ciphers';
import { agentSchema, type Agent } from '@shared/domain/agent';
import { callSchema, type Call } from '@shared/domain/call';
import { customerProfileSchema, customerScoresSchema, type CustomerProfile, type CustomerScores } from '@shared/domain/customer';
import { interactionSchema, transactionSchema, type Interaction, type Transaction } from '@shared/domain/interaction';
import { outcomeRecordSchema } from '@shared/domain/wrapup';
import type { Change, ChangesPage, SnapshotPage } from '@shared/contract/sync';
import { playbookSchema, type OfferStat, type Playbook } from '@shared/playbook/playbook';
import { runMigrations } from '@shared/storage/migrations';
import { applyProfileEdit } from '@shared/sync/profile-edits';
import { SERVER_MIGRATIONS } from './migrations';
import { snapshotPageJson } from './snapshot-page-json';
import { canonicalRecordSchema } from '@shared/identity/canonical';
import type { CustomerBundle, CustomerWrite, IdentityDecision, ScoringInput, ServerStore, SourceRecordCounts, StoredAgent, StoredSourceRecord } from './server-store';

/** Past this many pending changes a desktop is told to take a snapshot instead. */
const SNAPSHOT_THRESHOLD = 50_000;

type Row = Record<string, unknown>;
const json = (value: unknown): string => JSON.stringify(value);

export function openSqliteServerStore(file: string): ServerStore {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // Outcomes are the one thing we must never lose: fsync on every commit.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  runMigrations(db, SERVER_MIGRATIONS, 'server database');

  const getSeq = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'last_seq'");
  const setSeq = db.prepare<[string]>("UPDATE meta SET value = ? WHERE key = 'last_seq'");
  const nextSeq = (): number => {
    const seq = Number(getSeq.get()?.value ?? 0) + 1;
    setSeq.run(String(seq));
    return seq;
  };

  const upsertAgentStmt = db.prepare(`INSERT INTO agents (id, username, role, password_hash, data, seq) VALUES (@id, @username, @role, @hash, @data, @seq)
    ON CONFLICT (id) DO UPDATE SET username = excluded.username, role = excluded.role, password_hash = excluded.password_hash, data = excluded.data, seq = excluded.seq`);
  const upsertCustomer = db.prepare(`INSERT INTO customers (id, account_id, data, churn_label, seq) VALUES (@id, @accountId, @data, @label, @seq)
    ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, data = excluded.data, churn_label = COALESCE(excluded.churn_label, customers.churn_label), seq = excluded.seq`);
  const deletePhones = db.prepare('DELETE FROM customer_phones WHERE customer_id = ?');
  const insertPhone = db.prepare('INSERT OR IGNORE INTO customer_phones (phone, customer_id) VALUES (?, ?)');
  const upsertScores = db.prepare(`INSERT INTO scores (customer_id, data, seq) VALUES (?, ?, ?)
    ON CONFLICT (customer_id) DO UPDATE SET data = excluded.data, seq = excluded.seq`);
  const upsertInteraction = db.prepare(`INSERT INTO interactions (id, customer_id, occurred_at, data, seq) VALUES (@id, @customerId, @occurredAt, @data, @seq)
    ON CONFLICT (id) DO UPDATE SET data = excluded.data, seq = excluded.seq`);
  const insertTransaction = db.prepare('INSERT OR IGNORE INTO transactions (id, customer_id, occurred_at, amount, kind) VALUES (@id, @customerId, @occurredAt, @amount, @kind)');

  const parseCustomer = (row: Row): CustomerProfile => customerProfileSchema.parse(JSON.parse(String(row.data)));
  const parseScores = (row: Row): CustomerScores => customerScoresSchema.parse(JSON.parse(String(row.data)));
  const parseInteraction = (row: Row): Interaction => interactionSchema.parse(JSON.parse(String(row.data)));

  const readPlaybook = (): Playbook | null => {
    const row = db.prepare<[], Row>("SELECT data FROM documents WHERE kind = 'playbook'").get();
    return row ? playbookSchema.parse(JSON.parse(String(row.data))) : null;
  };
  const readOfferStats = (): OfferStat[] =>
    db.prepare<[], { offer_id: string; segment: string; made: number; accepted: number }>('SELECT offer_id, segment, made, accepted FROM offer_stats').all()
      .map((r) => ({ offerId: r.offer_id, segment: r.segment, made: r.made, accepted: r.accepted }));

  const putDocumentRow = (kind: string, data: unknown, inFeed: boolean): void => {
    db.transaction(() => db.prepare(`INSERT INTO documents (kind, data, seq) VALUES (?, ?, ?)
      ON CONFLICT (kind) DO UPDATE SET data = excluded.data, seq = excluded.seq`).run(kind, json(data), inFeed ? nextSeq() : 0))();
  };
  const readDocument = (kind: string): unknown | null => {
    const row = db.prepare<[string], { data: string }>('SELECT data FROM documents WHERE kind = ?').get(kind);
    return row ? (JSON.parse(row.data) as unknown) : null;
  };

  const writeCustomers = db.transaction((bundles: readonly CustomerWrite[]) => {
    for (const bundle of bundles) {
      const { customer } = bundle;
      upsertCustomer.run({
        id: customer.id, accountId: customer.accountId, data: json(customer),
        label: bundle.churnLabel === undefined || bundle.churnLabel === null ? null : bundle.churnLabel ? 1 : 0, seq: nextSeq(),
      });
      deletePhones.run(customer.id);
      for (const phone of customer.phones) insertPhone.run(phone, customer.id);
      if (bundle.scores) upsertScores.run(customer.id, json(bundle.scores), nextSeq());
      for (const interaction of bundle.interactions) {
        upsertInteraction.run({ id: interaction.id, customerId: interaction.customerId, occurredAt: interaction.occurredAt, data: json(interaction), seq: nextSeq() });
      }
      for (const transaction of bundle.transactions ?? []) insertTransaction.run(transaction);
    }
  });

  const store: ServerStore = {
    async close() {
      db.close();
    },

    async upsertAgent(agent, passwordHash) {
      db.transaction(() => upsertAgentStmt.run({ id: agent.id, username: agent.username, role: agent.role, hash: passwordHash, data: json(agent), seq: nextSeq() }))();
    },
    async agentByUsername(username): Promise<StoredAgent | null> {
      const row = db.prepare<[string], Row>('SELECT data, password_hash FROM agents WHERE username = ?').get(username);
      return row ? { agent: agentSchema.parse(JSON.parse(String(row.data))), passwordHash: String(row.password_hash) } : null;
    },
    async listAgents(): Promise<Agent[]> {
      return db.prepare<[], Row>('SELECT data FROM agents ORDER BY id').all().map((row) => agentSchema.parse(JSON.parse(String(row.data))));
    },

    async upsertCustomers(bundles) {
      writeCustomers(bundles);
    },
    async customerCount() {
      return Number(db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM customers').get()?.n ?? 0);
    },
    async customerBundle(customerId): Promise<CustomerBundle | null> {
      const row = db.prepare<[string], Row>('SELECT data FROM customers WHERE id = ?').get(customerId);
      if (!row) return null;
      const scoresRow = db.prepare<[string], Row>('SELECT data FROM scores WHERE customer_id = ?').get(customerId);
      const interactions = db.prepare<[string], Row>('SELECT data FROM interactions WHERE customer_id = ? ORDER BY occurred_at').all(customerId).map(parseInteraction);
      return { customer: parseCustomer(row), scores: scoresRow ? parseScores(scoresRow) : null, interactions };
    },
    async customerIdsByPhone(e164) {
      return db.prepare<[string], { customer_id: string }>('SELECT customer_id FROM customer_phones WHERE phone = ?').all(e164).map((r) => r.customer_id);
    },
    async customerIdsByAccount(accountId) {
      return db.prepare<[string], { id: string }>('SELECT id FROM customers WHERE account_id = ?').all(accountId).map((r) => r.id);
    },
    async applyProfileEdit(edit) {
      return db.transaction(() => {
        const row = db.prepare<[string], { data: string }>('SELECT data FROM customers WHERE id = ?').get(edit.customerId);
        if (!row) return { applied: false, customer: null };
        const result = applyProfileEdit(customerProfileSchema.parse(JSON.parse(row.data)), edit);
        if (result.applied) {
          db.prepare('UPDATE customers SET data = ?, seq = ? WHERE id = ?').run(json(result.profile), nextSeq(), edit.customerId);
        }
        return { applied: result.applied, customer: result.profile };
      })();
    },
    async sampleCallers(count) {
      return db.prepare<[number], { data: string }>('SELECT data FROM customers ORDER BY random() LIMIT ?').all(count)
        .map((row) => customerProfileSchema.parse(JSON.parse(row.data)))
        .filter((c) => c.phones.length > 0)
        .map((c) => ({ phone: c.phones[0]!, accountId: c.accountId, language: c.language }));
    },
    async appendInteraction(interaction) {
      db.transaction(() => upsertInteraction.run({ id: interaction.id, customerId: interaction.customerId, occurredAt: interaction.occurredAt, data: json(interaction), seq: nextSeq() }))();
    },

    async putPlaybook(playbook) {
      db.transaction(() => db.prepare(`INSERT INTO documents (kind, data, seq) VALUES ('playbook', ?, ?)
        ON CONFLICT (kind) DO UPDATE SET data = excluded.data, seq = excluded.seq`).run(json(playbook), nextSeq()))();
    },
    async putModel(kind, model) {
      putDocumentRow(`model:${kind}`, model, true);
    },
    async model(kind) {
      return readDocument(`model:${kind}`);
    },
    async putDocument(kind, data) {
      if (kind.startsWith('model:') || kind === 'playbook') throw new Error(`"${kind}" is a feed document; use putModel or putPlaybook`);
      putDocumentRow(kind, data, false);
    },
    async document(kind) {
      return readDocument(kind);
    },
    async customersByValueAtRisk(limit) {
      return db.prepare<[number], { customer: string; scores: string }>(`SELECT c.data AS customer, s.data AS scores FROM scores s JOIN customers c ON c.id = s.customer_id
        ORDER BY json_extract(s.data, '$.valueAtRisk') DESC, c.id LIMIT ?`).all(limit)
        .map((r) => ({ customer: customerProfileSchema.parse(JSON.parse(r.customer)), scores: customerScoresSchema.parse(JSON.parse(r.scores)) }));
    },
    async playbook(): Promise<Playbook | null> {
      return readPlaybook();
    },
    async bumpOfferStat(offerId, segment, accepted): Promise<OfferStat> {
      return db.transaction(() => {
        db.prepare(`INSERT INTO offer_stats (offer_id, segment, made, accepted, seq) VALUES (?, ?, 1, ?, ?)
          ON CONFLICT (offer_id, segment) DO UPDATE SET made = made + 1, accepted = accepted + excluded.accepted, seq = excluded.seq`)
          .run(offerId, segment, accepted ? 1 : 0, nextSeq());
        const row = db.prepare<[string, string], { made: number; accepted: number }>('SELECT made, accepted FROM offer_stats WHERE offer_id = ? AND segment = ?').get(offerId, segment);
        return { offerId, segment, made: row?.made ?? 0, accepted: row?.accepted ?? 0 };
      })();
    },
    async offerStats(): Promise<OfferStat[]> {
      return readOfferStats();
    },

    async saveCall(call: Call) {
      db.prepare(`INSERT INTO calls (id, state, agent_id, customer_id, created_at, data) VALUES (@id, @state, @agentId, @customerId, @createdAt, @data)
        ON CONFLICT (id) DO UPDATE SET state = excluded.state, agent_id = excluded.agent_id, customer_id = excluded.customer_id, data = excluded.data`)
        .run({ id: call.id, state: call.state, agentId: call.agentId, customerId: call.customerId, createdAt: call.createdAt, data: json(call) });
    },
    async callExists(callId: string): Promise<boolean> {
      return db.prepare<[string], { one: number }>('SELECT 1 AS one FROM calls WHERE id = ?').get(callId) !== undefined;
    },
    async openCalls(): Promise<Call[]> {
      return db.prepare<[], Row>("SELECT data FROM calls WHERE state IN ('queued', 'offered', 'connected', 'wrap_up') ORDER BY created_at").all()
        .map((row) => callSchema.parse(JSON.parse(String(row.data))));
    },

    async insertOutcome(outcome) {
      const result = db.prepare(`INSERT INTO outcomes (id, call_id, customer_id, agent_id, disposition, received_at, data)
        VALUES (@id, @callId, @customerId, @agentId, @disposition, @receivedAt, @data) ON CONFLICT (id) DO NOTHING`)
        .run({ ...outcome, data: json(outcome) });
      return result.changes === 1;
    },
    async applyOutcomes(writes) {
      const insertOutcomeRow = db.prepare(`INSERT INTO outcomes (id, call_id, customer_id, agent_id, disposition, received_at, data)
        VALUES (@id, @callId, @customerId, @agentId, @disposition, @receivedAt, @data) ON CONFLICT (id) DO NOTHING`);
      const bumpStat = db.prepare(`INSERT INTO offer_stats (offer_id, segment, made, accepted, seq) VALUES (?, ?, 1, ?, ?)
        ON CONFLICT (offer_id, segment) DO UPDATE SET made = made + 1, accepted = accepted + excluded.accepted, seq = excluded.seq`);
      return db.transaction(() => writes.map(({ outcome, interaction, offerStat }) => {
        const inserted = insertOutcomeRow.run({ ...outcome, data: json(outcome) }).changes === 1;
        if (inserted && interaction) {
          upsertInteraction.run({ id: interaction.id, customerId: interaction.customerId, occurredAt: interaction.occurredAt, data: json(interaction), seq: nextSeq() });
        }
        if (inserted && offerStat) bumpStat.run(offerStat.offerId, offerStat.segment, offerStat.accepted ? 1 : 0, nextSeq());
        return inserted;
      }))();
    },
    async recentOutcomes(limit) {
      return db.prepare<[number], Row>('SELECT data FROM outcomes ORDER BY received_at DESC, rowid DESC LIMIT ?').all(limit)
        .map((row) => outcomeRecordSchema.parse(JSON.parse(String(row.data))));
    },
    async outcomeTotals(sinceIso) {
      return db.prepare<[string], { agent_id: string; calls: number; saves: number }>(`SELECT agent_id, COUNT(*) AS calls,
          SUM(CASE WHEN disposition = 'retained' THEN 1 ELSE 0 END) AS saves FROM outcomes WHERE received_at >= ? GROUP BY agent_id`)
        .all(sinceIso).map((r) => ({ agentId: r.agent_id, calls: r.calls, saves: r.saves }));
    },

    async lastSeq() {
      return Number(getSeq.get()?.value ?? 0);
    },
    async changesAfter(afterSeq, limit): Promise<ChangesPage> {
      const last = Number(getSeq.get()?.value ?? 0);
      if (last - afterSeq > SNAPSHOT_THRESHOLD) return { changes: [], lastSeq: last, snapshotRequired: true };
      const rows = db.prepare<[number, number, number, number, number, number, number, number], { entity: Change['entity']; seq: number; data: string; made: number | null; accepted: number | null; seg: string | null }>(`
        SELECT * FROM (
          SELECT 'customer' AS entity, seq, data, NULL AS made, NULL AS accepted, NULL AS seg FROM customers WHERE seq > ?
          UNION ALL SELECT 'scores', seq, data, NULL, NULL, NULL FROM scores WHERE seq > ?
          UNION ALL SELECT 'interaction', seq, data, NULL, NULL, NULL FROM interactions WHERE seq > ?
          UNION ALL SELECT 'agent', seq, data, NULL, NULL, NULL FROM agents WHERE seq > ?
          UNION ALL SELECT 'playbook', seq, data, NULL, NULL, NULL FROM documents WHERE kind = 'playbook' AND seq > ?
          UNION ALL SELECT 'model', seq, data, NULL, NULL, substr(kind, 7) FROM documents WHERE kind LIKE 'model:%' AND seq > ?
          UNION ALL SELECT 'offer_stat', seq, offer_id, made, accepted, segment FROM offer_stats WHERE seq > ?
        ) ORDER BY seq LIMIT ?`).all(afterSeq, afterSeq, afterSeq, afterSeq, afterSeq, afterSeq, afterSeq, limit);
      const changes = rows.map((row): Change => {
        if (row.entity === 'offer_stat') {
          return { seq: row.seq, entity: 'offer_stat', data: { offerId: row.data, segment: row.seg ?? '', made: row.made ?? 0, accepted: row.accepted ?? 0 } };
        }
        if (row.entity === 'model') return { seq: row.seq, entity: 'model', data: { kind: row.seg ?? '', model: JSON.parse(row.data) } };
        const data: unknown = JSON.parse(row.data);
        // Agents carry a password hash column, never in `data`; the JSON holds the public profile only.
        return { seq: row.seq, entity: row.entity, data } as Change;
      });
      const lastSeq = changes.length === limit ? (changes[changes.length - 1]?.seq ?? last) : last;
      return { changes, lastSeq, snapshotRequired: false };
    },
    async snapshotPage(cursor, limit): Promise<SnapshotPage> {
      return JSON.parse(await store.snapshotPageJson(cursor, limit)) as SnapshotPage;
    },
    async snapshotPageJson(cursor, limit): Promise<string> {
      return db.transaction(() => {
        const asOfSeq = Number(getSeq.get()?.value ?? 0);
        const totalCustomers = Number(db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM customers').get()?.n ?? 0);
        const customerRows = db.prepare<[string, number], { id: string; data: string }>('SELECT id, data FROM customers WHERE id > ? ORDER BY id LIMIT ?').all(cursor ?? '', limit);
        const first = customerRows[0]?.id;
        const lastId = customerRows[customerRows.length - 1]?.id;
        const texts = (sql: string): string[] =>
          first === undefined || lastId === undefined ? [] : db.prepare<[string, string], { data: string }>(sql).pluck().all(first, lastId) as unknown as string[];
        return snapshotPageJson({
          asOfSeq, totalCustomers,
          customers: customerRows.map((r) => r.data),
          scores: texts('SELECT data FROM scores WHERE customer_id BETWEEN ? AND ?'),
          interactions: texts('SELECT data FROM interactions WHERE customer_id BETWEEN ? AND ? ORDER BY customer_id, occurred_at'),
          reference: cursor !== null ? null : {
            agents: db.prepare<[], Row>('SELECT data FROM agents ORDER BY id').all().map((row) => agentSchema.parse(JSON.parse(String(row.data)))),
            playbook: readPlaybook(),
            offerStats: readOfferStats(),
            models: db.prepare<[], { kind: string; data: string }>("SELECT kind, data FROM documents WHERE kind LIKE 'model:%' ORDER BY kind").all()
              .map((r) => ({ kind: r.kind.slice(6), model: JSON.parse(r.data) as unknown })),
          },
          nextCursor: customerRows.length === limit ? (lastId ?? null) : null,
        });
      })();
    },

    async churnLabelCounts() {
      const row = db.prepare<[], { labelled: number; churned: number | null }>('SELECT COUNT(churn_label) AS labelled, SUM(churn_label) AS churned FROM customers').get();
      return { labelled: Number(row?.labelled ?? 0), churned: Number(row?.churned ?? 0) };
    },
    async scoringInputs(cursor, limit, options = {}) {
      if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`A page limit must be a positive integer, not ${limit}`);
      const kinds = options.transactionKinds ? json(options.transactionKinds) : null;
      return db.transaction(() => {
        const customerRows = db.prepare<[string, number], { id: string; data: string; churn_label: number | null }>(
          'SELECT id, data, churn_label FROM customers WHERE id > ? ORDER BY id LIMIT ?').all(cursor ?? '', limit);
        const first = customerRows[0]?.id;
        const last = customerRows[customerRows.length - 1]?.id;
        if (first === undefined || last === undefined) return { rows: [], nextCursor: null };
        const rows = new Map<string, ScoringInput>(customerRows.map((r) => [r.id, {
          customer: parseCustomer(r), churnLabel: r.churn_label === null ? null : r.churn_label === 1, scores: null, interactions: [], transactions: [],
        }]));
        for (const r of db.prepare<[string, string], Row>('SELECT data FROM scores WHERE customer_id BETWEEN ? AND ?').all(first, last)) {
          const scores = parseScores(r);
          const row = rows.get(scores.customerId);
          if (row) row.scores = scores;
        }
        for (const r of db.prepare<[string, string], Row>('SELECT data FROM interactions WHERE customer_id BETWEEN ? AND ? ORDER BY customer_id, occurred_at, id').all(first, last)) {
          const interaction = parseInteraction(r);
          rows.get(interaction.customerId)?.interactions.push(interaction);
        }
        const transactionRows = db.prepare<[{ first: string; last: string; kinds: string | null }], { id: string; customer_id: string; occurred_at: string; amount: number; kind: string }>(
          `SELECT id, customer_id, occurred_at, amount, kind FROM transactions WHERE customer_id BETWEEN @first AND @last
             AND (@kinds IS NULL OR kind IN (SELECT value FROM json_each(@kinds))) ORDER BY customer_id, occurred_at, id`).all({ first, last, kinds });
        for (const r of transactionRows) {
          const transaction: Transaction = transactionSchema.parse({ id: r.id, customerId: r.customer_id, occurredAt: r.occurred_at, amount: r.amount, kind: r.kind });
          rows.get(transaction.customerId)?.transactions.push(transaction);
        }
        return { rows: [...rows.values()], nextCursor: customerRows.length === limit ? last : null };
      })();
    },
    async scoringInputsFor(ids, options = {}) {
      const kinds = options.transactionKinds ? json(options.transactionKinds) : null;
      const wanted = json([...new Set(ids)]);
      return db.transaction(() => {
        const rows = new Map<string, ScoringInput>();
        for (const r of db.prepare<[string], { id: string; data: string; churn_label: number | null }>(
          'SELECT id, data, churn_label FROM customers WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').all(wanted)) {
          rows.set(r.id, { customer: parseCustomer(r), churnLabel: r.churn_label === null ? null : r.churn_label === 1, scores: null, interactions: [], transactions: [] });
        }
        if (rows.size === 0) return [];
        const found = json([...rows.keys()]);
        for (const r of db.prepare<[string], Row>('SELECT data FROM scores WHERE customer_id IN (SELECT value FROM json_each(?))').all(found)) {
          const scores = parseScores(r);
          const row = rows.get(scores.customerId);
          if (row) row.scores = scores;
        }
        for (const r of db.prepare<[string], Row>('SELECT data FROM interactions WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY customer_id, occurred_at, id').all(found)) {
          const interaction = parseInteraction(r);
          rows.get(interaction.customerId)?.interactions.push(interaction);
        }
        const transactionRows = db.prepare<[{ ids: string; kinds: string | null }], { id: string; customer_id: string; occurred_at: string; amount: number; kind: string }>(
          `SELECT id, customer_id, occurred_at, amount, kind FROM transactions WHERE customer_id IN (SELECT value FROM json_each(@ids))
             AND (@kinds IS NULL OR kind IN (SELECT value FROM json_each(@kinds))) ORDER BY customer_id, occurred_at, id`).all({ ids: found, kinds });
        for (const r of transactionRows) {
          const transaction: Transaction = transactionSchema.parse({ id: r.id, customerId: r.customer_id, occurredAt: r.occurred_at, amount: r.amount, kind: r.kind });
          rows.get(transaction.customerId)?.transactions.push(transaction);
        }
        return [...rows.values()];
      })();
    },
    async upsertSourceRecords(entries) {
      const read = db.prepare<[string, string], { content_hash: string }>('SELECT content_hash FROM source_records WHERE source = ? AND record_id = ?');
      const insert = db.prepare('INSERT INTO source_records (source, record_id, customer_id, content_hash, data) VALUES (?, ?, ?, ?, ?)');
      const update = db.prepare('UPDATE source_records SET content_hash = ?, data = ?, customer_id = COALESCE(?, customer_id) WHERE source = ? AND record_id = ?');
      return db.transaction((): SourceRecordCounts => {
        const counts: SourceRecordCounts = { inserted: 0, updated: 0, unchanged: 0 };
        for (const { record, hash, customerId } of entries) {
          const existing = read.get(record.source, record.record_id);
          if (!existing) {
            insert.run(record.source, record.record_id, customerId ?? null, hash, json(record));
            counts.inserted++;
          } else if (existing.content_hash === hash) {
            counts.unchanged++;
          } else {
            update.run(hash, json(record), customerId ?? null, record.source, record.record_id);
            counts.updated++;
          }
        }
        return counts;
      })();
    },
    async sourceRecords(): Promise<StoredSourceRecord[]> {
      return db.prepare<[], { data: string; content_hash: string; customer_id: string | null }>('SELECT data, content_hash, customer_id FROM source_records ORDER BY source, record_id').all()
        .map((row) => ({ record: canonicalRecordSchema.parse(JSON.parse(row.data)), hash: row.content_hash, customerId: row.customer_id }));
    },
    async assignSourceRecords(assignments) {
      const assign = db.prepare('UPDATE source_records SET customer_id = ? WHERE source = ? AND record_id = ?');
      db.transaction(() => {
        for (const a of assignments) assign.run(a.customerId, a.source, a.recordId);
      })();
    },
    async addIdentityDecision(decision) {
      db.prepare('INSERT INTO identity_decisions (id, kind, made_at, data) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING')
        .run(decision.id, decision.kind, decision.at, json(decision));
    },
    async identityDecisions(): Promise<IdentityDecision[]> {
      return db.prepare<[], { data: string }>('SELECT data FROM identity_decisions ORDER BY position').all().map((row) => JSON.parse(row.data) as IdentityDecision);
    },
    async customersByIds(ids) {
      const read = db.prepare<[string], Row>('SELECT data FROM customers WHERE id = ?');
      const found: CustomerProfile[] = [];
      for (const id of new Set(ids)) {
        const row = read.get(id);
        if (row) found.push(parseCustomer(row));
      }
      return found;
    },
    async putScores(scores) {
      const latest = new Map<string, CustomerScores>();
      for (const s of scores) {
        latest.delete(s.customerId);
        latest.set(s.customerId, s);
      }
      const known = db.prepare<[string], { id: string }>('SELECT id FROM customers WHERE id = ?');
      return db.transaction(() => {
        let written = 0;
        for (const s of latest.values()) {
          if (!known.get(s.customerId)) continue;
          upsertScores.run(s.customerId, json(s), nextSeq());
          written++;
        }
        return written;
      })();
    },
  };
  return store;
}
