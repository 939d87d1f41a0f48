import pg from 'pg';
import type { Pool, PoolClient } from 'pg';
import { agentSchema, type Agent } from '@shared/domain/agent';
import { callSchema, type Call } from '@shared/domain/call';
import { customerProfileSchema, customerScoresSchema, type CustomerProfile, type CustomerScores } from '@shared/domain/customer';
import { interactionSchema, transactionSchema, type Interaction, type Transaction } from '@shared/domain/interaction';
import { outcomeRecordSchema, type OutcomeRecord } from '@shared/domain/wrapup';
import type { Change, ChangesPage, SnapshotPage } from '@shared/contract/sync';
import { playbookSchema, type OfferStat, type Playbook } from '@shared/playbook/playbook';
import { applyProfileEdit } from '@shared/sync/profile-edits';
import { POSTGRES_SERVER_MIGRATIONS, runPostgresMigrations } from './postgres-migrations';
import { snapshotPageJson } from './snapshot-page-json';
import { canonicalRecordSchema } from '@shared/identity/canonical';
import type { CanonicalRecord } from '@shared/identity/canonical';
import type { CustomerBundle, CustomerWrite, IdentityDecision, OutcomeWrite, ScoringInput, ScoringInputPage, ServerStore, SourceRecordCounts, StoredAgent, StoredProfileEdit, StoredSourceRecord } from './server-store';

/** Past this many pending changes a desktop is told to take a snapshot instead (the same figure as the SQLite store). */
const SNAPSHOT_THRESHOLD = 50_000;
/** Rows per multi-row statement in a batch write; keeps each bound array a few megabytes at most. */
const ROWS_PER_STATEMENT = 5_000;

export interface PostgresStoreOptions {
  /** Connections in the pool. */
  maxConnections?: number;
  /** Told about errors on idle pooled connections (say, the server restarting); the pool replaces the connection. */
  onPoolError?: (error: Error) => void;
}

type CustomerBatch = readonly CustomerWrite[];
type TransactionMode = 'READ WRITE' | 'SNAPSHOT';

const json = (value: unknown): string => JSON.stringify(value);
const parseJson = (data: string): unknown => JSON.parse(data);

/** The URL with any password masked, fit for logs and error messages. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * The routing server's store on PostgreSQL, for sites that want a networked
 * database. Behaves as the SQLite store does; the shared contract tests in
 * tests/integration/store hold both to the same cases.
 *
 * The change feed. Every entity row carries the feed sequence of its latest
 * change, and a desktop asks for rows with seq > the last one it applied. That
 * only works if a row can never become visible with a seq lower than one a
 * reader has already passed. A SEQUENCE breaks that under concurrent writers:
 * transaction A takes 7, B takes 8, B commits, a reader sees 8 and moves to 8,
 * then A commits 7 and the reader never sees it. So the position is a one-row
 * counter instead, bumped with UPDATE ... RETURNING inside each feed-writing
 * transaction. The row lock it takes is held to commit, so seqs are handed out
 * in commit order and every reader sees a gap-free prefix. The price is that
 * feed writes are serialised, which they are in SQLite too; batches reserve
 * all their seqs with one bump.
 */
export class PostgresServerStore implements ServerStore {
  private closed = false;

  private constructor(private readonly pool: Pool) {}

  /** Connects, migrates the schema and returns the open store. Fails with a message naming the database when it cannot. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresServerStore> {
    const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, application_name: 'holdfast-routing' });
    pool.on('error', options.onPoolError ?? ((error) => process.stderr.write(`holdfast: idle PostgreSQL connection failed: ${error.message}\n`)));
    // Outcomes must never be lost: a commit waits for the WAL flush even if the server default says otherwise
    // (the SQLite store runs synchronous = FULL for the same reason). Queued ahead of any other query on the connection.
    pool.on('connect', (client) => {
      client.query('SET synchronous_commit = on').catch(() => undefined);
    });
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      await pool.end().catch(() => undefined);
      const reason = error instanceof Error ? error.message || error.name : String(error);
      throw new Error(`Cannot connect to the PostgreSQL server database at ${redactDatabaseUrl(url)}: ${reason}`, { cause: error });
    }
    try {
      await runPostgresMigrations(client, POSTGRES_SERVER_MIGRATIONS, 'server database');
    } catch (error) {
      client.release(true);
      await pool.end().catch(() => undefined);
      throw error;
    }
    client.release();
    return new PostgresServerStore(pool);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  async upsertAgent(agent: Agent, passwordHash: string): Promise<void> {
    await this.transaction('READ WRITE', async (client) => {
      const seq = await reserveSeqs(client, 1);
      await client.query(
        `INSERT INTO agents (id, username, role, password_hash, data, seq) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET username = excluded.username, role = excluded.role,
           password_hash = excluded.password_hash, data = excluded.data, seq = excluded.seq`,
        [agent.id, agent.username, agent.role, passwordHash, json(agent), seq],
      );
    });
  }

  async agentByUsername(username: string): Promise<StoredAgent | null> {
    const { rows } = await this.pool.query<{ data: string; password_hash: string }>('SELECT data, password_hash FROM agents WHERE username = $1', [username]);
    const row = rows[0];
    return row ? { agent: agentSchema.parse(parseJson(row.data)), passwordHash: row.password_hash } : null;
  }

  async listAgents(): Promise<Agent[]> {
    return readAgents(this.pool);
  }

  async upsertCustomers(bundles: CustomerBatch): Promise<void> {
    if (bundles.length === 0) return;
    await this.transaction('READ WRITE', async (client) => {
      const seqCount = bundles.reduce((n, b) => n + 1 + (b.scores ? 1 : 0) + b.interactions.length, 0);
      const rows = customerBatchRows(bundles, await reserveSeqs(client, seqCount));

      for (const chunk of chunks(rows.customers)) {
        await client.query(
          `INSERT INTO customers (id, account_id, data, churn_label, seq)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::bigint[])
           ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, data = excluded.data,
             churn_label = COALESCE(excluded.churn_label, customers.churn_label), seq = excluded.seq`,
          [chunk.map((r) => r.id), chunk.map((r) => r.accountId), chunk.map((r) => r.data), chunk.map((r) => r.churnLabel), chunk.map((r) => r.seq)],
        );
        // A customer's phones are replaced wholesale, as in SQLite.
        await client.query('DELETE FROM customer_phones WHERE customer_id = ANY($1::text[])', [chunk.map((r) => r.id)]);
        const phones = chunk.flatMap((r) => r.phones.map((phone) => [phone, r.id] as const));
        for (const phoneChunk of chunks(phones)) {
          await client.query(
            'INSERT INTO customer_phones (phone, customer_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING',
            [phoneChunk.map(([phone]) => phone), phoneChunk.map(([, id]) => id)],
          );
        }
      }
      for (const chunk of chunks(rows.scores)) {
        await client.query(
          `INSERT INTO scores (customer_id, data, seq) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
           ON CONFLICT (customer_id) DO UPDATE SET data = excluded.data, seq = excluded.seq`,
          [chunk.map((r) => r.customerId), chunk.map((r) => r.data), chunk.map((r) => r.seq)],
        );
      }
      for (const chunk of chunks(rows.interactions)) {
        await client.query(
          `INSERT INTO interactions (id, customer_id, occurred_at, data, seq)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
           ON CONFLICT (id) DO UPDATE SET data = excluded.data, seq = excluded.seq`,
          [chunk.map((r) => r.id), chunk.map((r) => r.customerId), chunk.map((r) => r.occurredAt), chunk.map((r) => r.data), chunk.map((r) => r.seq)],
        );
      }
      for (const chunk of chunks(rows.transactions)) {
        await client.query(
          `INSERT INTO transactions (id, customer_id, occurred_at, amount, kind)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::text[]) ON CONFLICT DO NOTHING`,
          [chunk.map((t) => t.id), chunk.map((t) => t.customerId), chunk.map((t) => t.occurredAt), chunk.map((t) => t.amount), chunk.map((t) => t.kind)],
        );
      }
    });
  }

  async customerCount(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT COUNT(*)::integer AS n FROM customers');
    return rows[0]?.n ?? 0;
  }

  async customerBundle(customerId: string): Promise<CustomerBundle | null> {
    // One snapshot, so the profile, scores and history belong together.
    return this.transaction('SNAPSHOT', async (client) => {
      const customer = (await client.query<{ data: string }>('SELECT data FROM customers WHERE id = $1', [customerId])).rows[0];
      if (!customer) return null;
      const scores = (await client.query<{ data: string }>('SELECT data FROM scores WHERE customer_id = $1', [customerId])).rows[0];
      const interactions = await client.query<{ data: string }>('SELECT data FROM interactions WHERE customer_id = $1 ORDER BY occurred_at, id', [customerId]);
      return {
        customer: parseCustomer(customer.data),
        scores: scores ? parseScores(scores.data) : null,
        interactions: interactions.rows.map((row) => parseInteraction(row.data)),
      };
    });
  }

  async customerIdsByPhone(e164: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ customer_id: string }>('SELECT customer_id FROM customer_phones WHERE phone = $1 ORDER BY customer_id', [e164]);
    return rows.map((row) => row.customer_id);
  }

  async customerIdsByAccount(accountId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM customers WHERE account_id = $1 ORDER BY id', [accountId]);
    return rows.map((row) => row.id);
  }

  async appendInteraction(interaction: Interaction): Promise<void> {
    await this.transaction('READ WRITE', async (client) => {
      const seq = await reserveSeqs(client, 1);
      await client.query(
        `INSERT INTO interactions (id, customer_id, occurred_at, data, seq) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, seq = excluded.seq`,
        [interaction.id, interaction.customerId, interaction.occurredAt, json(interaction), seq],
      );
    });
  }

  async applyProfileEdit(edit: StoredProfileEdit): Promise<{ applied: boolean; customer: CustomerProfile | null }> {
    return this.transaction('READ WRITE', async (client) => {
      // The feed lock first, as every feed writer takes it, so edits and batch writes cannot deadlock;
      // it also makes the read-modify-write below safe against a concurrent edit of the same customer.
      await lockFeed(client);
      const row = (await client.query<{ data: string }>('SELECT data FROM customers WHERE id = $1', [edit.customerId])).rows[0];
      if (!row) return { applied: false, customer: null };
      const result = applyProfileEdit(parseCustomer(row.data), edit);
      if (result.applied) {
        const seq = await reserveSeqs(client, 1);
        await client.query('UPDATE customers SET data = $1, seq = $2 WHERE id = $3', [json(result.profile), seq, edit.customerId]);
      }
      return { applied: result.applied, customer: result.profile };
    });
  }

  async sampleCallers(count: number): Promise<{ phone: string; accountId: string; language: string }[]> {
    const { rows } = await this.pool.query<{ data: string }>('SELECT data FROM customers ORDER BY random() LIMIT $1', [count]);
    return rows.map((row) => parseCustomer(row.data)).flatMap((c) => {
      const phone = c.phones[0];
      return phone === undefined ? [] : [{ phone, accountId: c.accountId, language: c.language }];
    });
  }

  async putPlaybook(playbook: Playbook): Promise<void> {
    await this.transaction('READ WRITE', async (client) => {
      const seq = await reserveSeqs(client, 1);
      await client.query(
        `INSERT INTO documents (kind, data, seq) VALUES ('playbook', $1, $2)
         ON CONFLICT (kind) DO UPDATE SET data = excluded.data, seq = excluded.seq`,
        [json(playbook), seq],
      );
    });
  }

  async putModel(kind: string, model: unknown): Promise<void> {
    await this.putDocumentRow(`model:${kind}`, model, true);
  }

  async model(kind: string): Promise<unknown | null> {
    return this.readDocument(`model:${kind}`);
  }

  async putDocument(kind: string, data: unknown): Promise<void> {
    if (kind.startsWith('model:') || kind === 'playbook') throw new Error(`"${kind}" is a feed document; use putModel or putPlaybook`);
    await this.putDocumentRow(kind, data, false);
  }

  async document(kind: string): Promise<unknown | null> {
    return this.readDocument(kind);
  }

  async customersByValueAtRisk(limit: number): Promise<{ customer: CustomerProfile; scores: CustomerScores }[]> {
    const { rows } = await this.pool.query<{ customer: string; scores: string }>(
      `SELECT c.data AS customer, s.data AS scores FROM scores s JOIN customers c ON c.id = s.customer_id
       ORDER BY (s.data::json->>'valueAtRisk')::double precision DESC, c.id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ customer: parseCustomer(r.customer), scores: customerScoresSchema.parse(parseJson(r.scores)) }));
  }

  private async putDocumentRow(kind: string, data: unknown, inFeed: boolean): Promise<void> {
    await this.transaction('READ WRITE', async (client) => {
      const seq = inFeed ? await reserveSeqs(client, 1) : 0;
      await client.query(
        `INSERT INTO documents (kind, data, seq) VALUES ($1, $2, $3) ON CONFLICT (kind) DO UPDATE SET data = excluded.data, seq = excluded.seq`,
        [kind, json(data), seq],
      );
    });
  }

  private async readDocument(kind: string): Promise<unknown | null> {
    const { rows } = await this.pool.query<{ data: string }>('SELECT data FROM documents WHERE kind = $1', [kind]);
    return rows[0] ? parseJson(rows[0].data) : null;
  }

  async playbook(): Promise<Playbook | null> {
    return readPlaybook(this.pool);
  }

  async bumpOfferStat(offerId: string, segment: string, accepted: boolean): Promise<OfferStat> {
    return this.transaction('READ WRITE', async (client) => {
      const seq = await reserveSeqs(client, 1);
      const { rows } = await client.query<{ made: number; accepted: number }>(
        `INSERT INTO offer_stats (offer_id, segment, made, accepted, seq) VALUES ($1, $2, 1, $3, $4)
         ON CONFLICT (offer_id, segment) DO UPDATE SET made = offer_stats.made + 1,
           accepted = offer_stats.accepted + excluded.accepted, seq = excluded.seq
         RETURNING made, accepted`,
        [offerId, segment, accepted ? 1 : 0, seq],
      );
      return { offerId, segment, made: rows[0]?.made ?? 0, accepted: rows[0]?.accepted ?? 0 };
    });
  }

  async offerStats(): Promise<OfferStat[]> {
    return readOfferStats(this.pool);
  }

  async saveCall(call: Call): Promise<void> {
    await this.pool.query(
      `INSERT INTO calls (id, state, agent_id, customer_id, created_at, data) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET state = excluded.state, agent_id = excluded.agent_id, customer_id = excluded.customer_id, data = excluded.data`,
      [call.id, call.state, call.agentId, call.customerId, call.createdAt, json(call)],
    );
  }

  async callExists(callId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM calls WHERE id = $1', [callId]);
    return (rowCount ?? 0) > 0;
  }

  async openCalls(): Promise<Call[]> {
    const { rows } = await this.pool.query<{ data: string }>(
      "SELECT data FROM calls WHERE state IN ('queued', 'offered', 'connected', 'wrap_up') ORDER BY created_at, id",
    );
    return rows.map((row) => callSchema.parse(parseJson(row.data)));
  }

  async insertOutcome(outcome: OutcomeRecord): Promise<boolean> {
    // The primary key decides: of any number of concurrent inserts of one id, exactly one reports a row.
    const result = await this.pool.query(
      `INSERT INTO outcomes (id, call_id, customer_id, agent_id, disposition, received_at, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
      [outcome.id, outcome.callId, outcome.customerId, outcome.agentId, outcome.disposition, outcome.receivedAt, json(outcome)],
    );
    return result.rowCount === 1;
  }

  async applyOutcomes(writes: readonly OutcomeWrite[]): Promise<boolean[]> {
    if (writes.length === 0) return [];
    return this.transaction('READ WRITE', async (client) => {
      // Feed lock first, as every feed writer takes it; the inserts below then commit in feed order.
      await lockFeed(client);
      const results: boolean[] = [];
      for (const { outcome, interaction, offerStat } of writes) {
        const inserted = (await client.query(
          `INSERT INTO outcomes (id, call_id, customer_id, agent_id, disposition, received_at, data)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
          [outcome.id, outcome.callId, outcome.customerId, outcome.agentId, outcome.disposition, outcome.receivedAt, json(outcome)],
        )).rowCount === 1;
        if (inserted && interaction) {
          const seq = await reserveSeqs(client, 1);
          await client.query(
            `INSERT INTO interactions (id, customer_id, occurred_at, data, seq) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, seq = excluded.seq`,
            [interaction.id, interaction.customerId, interaction.occurredAt, json(interaction), seq],
          );
        }
        if (inserted && offerStat) {
          const seq = await reserveSeqs(client, 1);
          await client.query(
            `INSERT INTO offer_stats (offer_id, segment, made, accepted, seq) VALUES ($1, $2, 1, $3, $4)
             ON CONFLICT (offer_id, segment) DO UPDATE SET made = offer_stats.made + 1,
               accepted = offer_stats.accepted + excluded.accepted, seq = excluded.seq`,
            [offerStat.offerId, offerStat.segment, offerStat.accepted ? 1 : 0, seq],
          );
        }
        results.push(inserted);
      }
      return results;
    });
  }

  async recentOutcomes(limit: number): Promise<OutcomeRecord[]> {
    const { rows } = await this.pool.query<{ data: string }>('SELECT data FROM outcomes ORDER BY received_at DESC, arrival DESC LIMIT $1', [limit]);
    return rows.map((row) => outcomeRecordSchema.parse(parseJson(row.data)));
  }

  async outcomeTotals(sinceIso: string): Promise<{ agentId: string; calls: number; saves: number }[]> {
    const { rows } = await this.pool.query<{ agent_id: string; calls: number; saves: number }>(
      `SELECT agent_id, COUNT(*)::integer AS calls, SUM(CASE WHEN disposition = 'retained' THEN 1 ELSE 0 END)::integer AS saves
       FROM outcomes WHERE received_at >= $1 GROUP BY agent_id ORDER BY agent_id`,
      [sinceIso],
    );
    return rows.map((r) => ({ agentId: r.agent_id, calls: r.calls, saves: r.saves }));
  }

  async lastSeq(): Promise<number> {
    return readLastSeq(this.pool);
  }

  async changesAfter(afterSeq: number, limit: number): Promise<ChangesPage> {
    assertPositiveLimit(limit);
    // One snapshot for the position and the rows, so lastSeq never runs ahead of what was read.
    return this.transaction('SNAPSHOT', async (client) => {
      const last = await readLastSeq(client);
      if (last - afterSeq > SNAPSHOT_THRESHOLD) return { changes: [], lastSeq: last, snapshotRequired: true };
      const { rows } = await client.query<{ entity: Change['entity']; seq: string; data: string; made: number | null; accepted: number | null; seg: string | null }>(
        `SELECT entity, seq, data, made, accepted, seg FROM (
           SELECT 'customer' AS entity, seq, data, NULL::integer AS made, NULL::integer AS accepted, NULL::text AS seg FROM customers WHERE seq > $1
           UNION ALL SELECT 'scores', seq, data, NULL, NULL, NULL FROM scores WHERE seq > $1
           UNION ALL SELECT 'interaction', seq, data, NULL, NULL, NULL FROM interactions WHERE seq > $1
           UNION ALL SELECT 'agent', seq, data, NULL, NULL, NULL FROM agents WHERE seq > $1
           UNION ALL SELECT 'playbook', seq, data, NULL, NULL, NULL FROM documents WHERE kind = 'playbook' AND seq > $1
           UNION ALL SELECT 'model', seq, data, NULL, NULL, substr(kind, 7) FROM documents WHERE kind LIKE 'model:%' AND seq > $1
           UNION ALL SELECT 'offer_stat', seq, offer_id, made, accepted, segment FROM offer_stats WHERE seq > $1
         ) AS feed ORDER BY seq LIMIT $2`,
        [afterSeq, limit],
      );
      const changes = rows.map((row): Change => {
        const seq = Number(row.seq);
        if (row.entity === 'offer_stat') {
          return { seq, entity: 'offer_stat', data: { offerId: row.data, segment: row.seg ?? '', made: row.made ?? 0, accepted: row.accepted ?? 0 } };
        }
        if (row.entity === 'model') return { seq, entity: 'model', data: { kind: row.seg ?? '', model: parseJson(row.data) } };
        // Agents' password hashes live in their own column; `data` is the public profile only.
        return { seq, entity: row.entity, data: parseJson(row.data) } as Change;
      });
      const lastSeq = changes.length === limit ? (changes[changes.length - 1]?.seq ?? last) : last;
      return { changes, lastSeq, snapshotRequired: false };
    });
  }

  async snapshotPage(cursor: string | null, limit: number): Promise<SnapshotPage> {
    return JSON.parse(await this.snapshotPageJson(cursor, limit)) as SnapshotPage;
  }

  async snapshotPageJson(cursor: string | null, limit: number): Promise<string> {
    assertPositiveLimit(limit);
    return this.transaction('SNAPSHOT', async (client) => {
      const asOfSeq = await readLastSeq(client);
      const total = await client.query<{ n: number }>('SELECT COUNT(*)::integer AS n FROM customers');
      const customerRows = (await client.query<{ id: string; data: string }>('SELECT id, data FROM customers WHERE id > $1 ORDER BY id LIMIT $2', [cursor ?? '', limit])).rows;
      const first = customerRows[0]?.id;
      const lastId = customerRows[customerRows.length - 1]?.id;
      const texts = async (sql: string): Promise<string[]> =>
        first === undefined || lastId === undefined ? [] : (await client.query<{ data: string }>(sql, [first, lastId])).rows.map((row) => row.data);
      return snapshotPageJson({
        asOfSeq,
        totalCustomers: total.rows[0]?.n ?? 0,
        customers: customerRows.map((row) => row.data),
        scores: await texts('SELECT data FROM scores WHERE customer_id BETWEEN $1 AND $2 ORDER BY customer_id'),
        interactions: await texts('SELECT data FROM interactions WHERE customer_id BETWEEN $1 AND $2 ORDER BY customer_id, occurred_at, id'),
        // Reference data rides on the first page only, read in the same snapshot as everything else.
        reference: cursor !== null ? null : {
          agents: await readAgents(client),
          playbook: await readPlaybook(client),
          offerStats: await readOfferStats(client),
          models: (await client.query<{ kind: string; data: string }>("SELECT kind, data FROM documents WHERE kind LIKE 'model:%' ORDER BY kind")).rows
            .map((r) => ({ kind: r.kind.slice(6), model: parseJson(r.data) })),
        },
        nextCursor: customerRows.length === limit ? (lastId ?? null) : null,
      });
    });
  }


  /**
   * Runs `work` in one transaction on one pooled connection. SNAPSHOT reads
   * see a single consistent state of the whole database (REPEATABLE READ).
   */
  private async transaction<T>(mode: TransactionMode, work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(mode === 'SNAPSHOT' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        // A connection that cannot even roll back is not handed out again.
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async churnLabelCounts(): Promise<{ labelled: number; churned: number }> {
    const { rows } = await this.pool.query<{ labelled: number; churned: number }>(
      'SELECT COUNT(churn_label)::integer AS labelled, COUNT(*) FILTER (WHERE churn_label)::integer AS churned FROM customers',
    );
    return { labelled: rows[0]?.labelled ?? 0, churned: rows[0]?.churned ?? 0 };
  }

  async scoringInputs(cursor: string | null, limit: number, options: { transactionKinds?: readonly Transaction['kind'][] } = {}): Promise<ScoringInputPage> {
    assertPositiveLimit(limit);
    const kinds = options.transactionKinds ? [...options.transactionKinds] : null;
    return this.transaction('SNAPSHOT', async (client) => {
      const customerRows = (await client.query<{ id: string; data: string; churn_label: boolean | null }>(
        'SELECT id, data, churn_label FROM customers WHERE id > $1 ORDER BY id LIMIT $2', [cursor ?? '', limit],
      )).rows;
      const first = customerRows[0]?.id;
      const last = customerRows[customerRows.length - 1]?.id;
      if (first === undefined || last === undefined) return { rows: [], nextCursor: null };
      const rows = new Map<string, ScoringInput>(customerRows.map((r) => [r.id, {
        customer: parseCustomer(r.data), churnLabel: r.churn_label, scores: null, interactions: [], transactions: [],
      }]));
      for (const r of (await client.query<{ data: string }>('SELECT data FROM scores WHERE customer_id BETWEEN $1 AND $2', [first, last])).rows) {
        const scores = parseScores(r.data);
        const row = rows.get(scores.customerId);
        if (row) row.scores = scores;
      }
      const interactions = await client.query<{ data: string }>(
        'SELECT data FROM interactions WHERE customer_id BETWEEN $1 AND $2 ORDER BY customer_id, occurred_at, id', [first, last],
      );
      for (const r of interactions.rows) {
        const interaction = parseInteraction(r.data);
        rows.get(interaction.customerId)?.interactions.push(interaction);
      }
      const transactions = await client.query<{ id: string; customer_id: string; occurred_at: string; amount: number; kind: string }>(
        `SELECT id, customer_id, occurred_at, amount, kind FROM transactions WHERE customer_id BETWEEN $1 AND $2
           AND ($3::text[] IS NULL OR kind = ANY($3::text[])) ORDER BY customer_id, occurred_at, id`,
        [first, last, kinds],
      );
      for (const r of transactions.rows) {
        const transaction: Transaction = transactionSchema.parse({ id: r.id, customerId: r.customer_id, occurredAt: r.occurred_at, amount: r.amount, kind: r.kind });
        rows.get(transaction.customerId)?.transactions.push(transaction);
      }
      return { rows: [...rows.values()], nextCursor: customerRows.length === limit ? last : null };
    });
  }

  async scoringInputsFor(ids: readonly string[], options: { transactionKinds?: readonly Transaction['kind'][] } = {}): Promise<ScoringInput[]> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return [];
    const kinds = options.transactionKinds ? [...options.transactionKinds] : null;
    return this.transaction('SNAPSHOT', async (client) => {
      const rows = new Map<string, ScoringInput>();
      const customerRows = await client.query<{ id: string; data: string; churn_label: boolean | null }>('SELECT id, data, churn_label FROM customers WHERE id = ANY($1::text[]) ORDER BY id', [wanted]);
      for (const r of customerRows.rows) rows.set(r.id, { customer: parseCustomer(r.data), churnLabel: r.churn_label, scores: null, interactions: [], transactions: [] });
      if (rows.size === 0) return [];
      const found = [...rows.keys()];
      for (const r of (await client.query<{ data: string }>('SELECT data FROM scores WHERE customer_id = ANY($1::text[])', [found])).rows) {
        const scores = parseScores(r.data);
        const row = rows.get(scores.customerId);
        if (row) row.scores = scores;
      }
      for (const r of (await client.query<{ data: string }>('SELECT data FROM interactions WHERE customer_id = ANY($1::text[]) ORDER BY customer_id, occurred_at, id', [found])).rows) {
        const interaction = parseInteraction(r.data);
        rows.get(interaction.customerId)?.interactions.push(interaction);
      }
      const transactions = await client.query<{ id: string; customer_id: string; occurred_at: string; amount: number; kind: string }>(
        `SELECT id, customer_id, occurred_at, amount, kind FROM transactions WHERE customer_id = ANY($1::text[])
           AND ($2::text[] IS NULL OR kind = ANY($2::text[])) ORDER BY customer_id, occurred_at, id`,
        [found, kinds],
      );
      for (const r of transactions.rows) {
        const transaction: Transaction = transactionSchema.parse({ id: r.id, customerId: r.customer_id, occurredAt: r.occurred_at, amount: r.amount, kind: r.kind });
        rows.get(transaction.customerId)?.transactions.push(transaction);
      }
      return [...rows.values()];
    });
  }

  async upsertSourceRecords(entries: readonly { record: CanonicalRecord; hash: string; customerId?: string | null }[]): Promise<SourceRecordCounts> {
    const counts: SourceRecordCounts = { inserted: 0, updated: 0, unchanged: 0 };
    if (entries.length === 0) return counts;
    // Repeats of one record in a batch fold to the last, as row-by-row upserts would leave them.
    const latest = new Map<string, (typeof entries)[number]>();
    for (const entry of entries) latest.set(`${entry.record.source}\u0000${entry.record.record_id}`, entry);
    await this.transaction('READ WRITE', async (client) => {
      for (const chunk of chunks([...latest.values()])) {
        const { rows } = await client.query<{ source: string; record_id: string; content_hash: string }>(
          `SELECT s.source, s.record_id, s.content_hash FROM source_records s
           JOIN unnest($1::text[], $2::text[]) AS k(source, record_id) ON s.source = k.source AND s.record_id = k.record_id FOR UPDATE OF s`,
          [chunk.map((e) => e.record.source), chunk.map((e) => e.record.record_id)],
        );
        const stored = new Map(rows.map((r) => [`${r.source}\u0000${r.record_id}`, r.content_hash]));
        const changed = chunk.filter((e) => {
          const hash = stored.get(`${e.record.source}\u0000${e.record.record_id}`);
          if (hash === undefined) counts.inserted++;
          else if (hash === e.hash) counts.unchanged++;
          else counts.updated++;
          return hash !== e.hash;
        });
        if (changed.length === 0) continue;
        await client.query(
          `INSERT INTO source_records (source, record_id, customer_id, content_hash, data)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
           ON CONFLICT (source, record_id) DO UPDATE SET content_hash = excluded.content_hash, data = excluded.data,
             customer_id = COALESCE(excluded.customer_id, source_records.customer_id)`,
          [changed.map((e) => e.record.source), changed.map((e) => e.record.record_id), changed.map((e) => e.customerId ?? null), changed.map((e) => e.hash), changed.map((e) => json(e.record))],
        );
      }
    });
    return counts;
  }

  async sourceRecords(): Promise<StoredSourceRecord[]> {
    const { rows } = await this.pool.query<{ data: string; content_hash: string; customer_id: string | null }>(
      'SELECT data, content_hash, customer_id FROM source_records ORDER BY source, record_id',
    );
    return rows.map((row) => ({ record: canonicalRecordSchema.parse(parseJson(row.data)), hash: row.content_hash, customerId: row.customer_id }));
  }

  async assignSourceRecords(assignments: readonly { source: string; recordId: string; customerId: string | null }[]): Promise<void> {
    if (assignments.length === 0) return;
    await this.transaction('READ WRITE', async (client) => {
      for (const chunk of chunks(assignments)) {
        await client.query(
          `UPDATE source_records s SET customer_id = k.customer_id FROM unnest($1::text[], $2::text[], $3::text[]) AS k(source, record_id, customer_id)
           WHERE s.source = k.source AND s.record_id = k.record_id`,
          [chunk.map((a) => a.source), chunk.map((a) => a.recordId), chunk.map((a) => a.customerId)],
        );
      }
    });
  }

  async addIdentityDecision(decision: IdentityDecision): Promise<void> {
    await this.pool.query('INSERT INTO identity_decisions (id, kind, made_at, data) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING', [
      decision.id, decision.kind, decision.at, json(decision),
    ]);
  }

  async identityDecisions(): Promise<IdentityDecision[]> {
    const { rows } = await this.pool.query<{ data: string }>('SELECT data FROM identity_decisions ORDER BY position');
    return rows.map((row) => parseJson(row.data) as IdentityDecision);
  }

  async customersByIds(ids: readonly string[]): Promise<CustomerProfile[]> {
    if (ids.length === 0) return [];
    const found: CustomerProfile[] = [];
    for (const chunk of chunks([...new Set(ids)])) {
      const { rows } = await this.pool.query<{ data: string }>('SELECT data FROM customers WHERE id = ANY($1::text[])', [chunk]);
      for (const row of rows) found.push(parseCustomer(row.data));
    }
    return found;
  }

  async putScores(scores: readonly CustomerScores[]): Promise<number> {
    // A multi-row upsert may not touch one key twice: repeats fold to the last, as SQLite's row-by-row upserts leave them.
    const latest = new Map<string, CustomerScores>();
    for (const s of scores) {
      latest.delete(s.customerId);
      latest.set(s.customerId, s);
    }
    if (latest.size === 0) return 0;
    return this.transaction('READ WRITE', async (client) => {
      await lockFeed(client);
      const known = new Set((await client.query<{ id: string }>('SELECT id FROM customers WHERE id = ANY($1::text[])', [[...latest.keys()]])).rows.map((r) => r.id));
      const rows = [...latest.values()].filter((s) => known.has(s.customerId));
      if (rows.length === 0) return 0;
      const firstSeq = await reserveSeqs(client, rows.length);
      for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
        await client.query(
          `INSERT INTO scores (customer_id, data, seq) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
           ON CONFLICT (customer_id) DO UPDATE SET data = excluded.data, seq = excluded.seq`,
          [chunk.map((s) => s.customerId), chunk.map((s) => json(s)), chunk.map((_, k) => firstSeq + start + k)],
        );
      }
      return rows.length;
    });
  }
}

/** Takes the next `count` feed positions and returns the first; the counter row stays locked until commit. */
async function reserveSeqs(client: PoolClient, count: number): Promise<number> {
  const { rows } = await client.query<{ last_seq: string }>('UPDATE feed_counter SET last_seq = last_seq + $1 RETURNING last_seq', [count]);
  const row = rows[0];
  if (!row) throw new Error('The feed counter row is missing from the server database');
  return Number(row.last_seq) - count + 1;
}

/** Takes the feed lock without moving the position, for a write that may turn out to change nothing. */
async function lockFeed(client: PoolClient): Promise<void> {
  await client.query('SELECT last_seq FROM feed_counter FOR UPDATE');
}

/** Either the pool (one-off statements) or a client inside a transaction. */
type Queryable = Pool | PoolClient;

async function readLastSeq(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ last_seq: string }>('SELECT last_seq FROM feed_counter');
  return Number(rows[0]?.last_seq ?? 0);
}

async function readAgents(db: Queryable): Promise<Agent[]> {
  const { rows } = await db.query<{ data: string }>('SELECT data FROM agents ORDER BY id');
  return rows.map((row) => agentSchema.parse(parseJson(row.data)));
}

async function readPlaybook(db: Queryable): Promise<Playbook | null> {
  const row = (await db.query<{ data: string }>("SELECT data FROM documents WHERE kind = 'playbook'")).rows[0];
  return row ? playbookSchema.parse(parseJson(row.data)) : null;
}

async function readOfferStats(db: Queryable): Promise<OfferStat[]> {
  const { rows } = await db.query<{ offer_id: string; segment: string; made: number; accepted: number }>(
    'SELECT offer_id, segment, made, accepted FROM offer_stats ORDER BY offer_id, segment',
  );
  return rows.map((r) => ({ offerId: r.offer_id, segment: r.segment, made: r.made, accepted: r.accepted }));
}

function assertPositiveLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`A page limit must be a positive integer, not ${limit}`);
}

interface CustomerRow { id: string; accountId: string; data: string; churnLabel: boolean | null; seq: number; phones: readonly string[] }
interface ScoresRow { customerId: string; data: string; seq: number }
interface InteractionRow { id: string; customerId: string; occurredAt: string; data: string; seq: number }

/**
 * Turns a batch into one row per key, numbered in the order SQLite numbers
 * them (customer, scores, then each interaction, bundle by bundle). A
 * multi-row upsert may not touch one key twice, so repeats in a batch are
 * folded the way SQLite's row-by-row upserts would leave them: the later
 * write wins, a null churn label keeps the earlier one, and an interaction
 * keeps the customer and time it was first stored with.
 */
function customerBatchRows(bundles: CustomerBatch, firstSeq: number) {
  const customers = new Map<string, CustomerRow>();
  const scores = new Map<string, ScoresRow>();
  const interactions = new Map<string, InteractionRow>();
  const transactions = new Map<string, NonNullable<CustomerBatch[number]['transactions']>[number]>();
  let seq = firstSeq;
  for (const bundle of bundles) {
    const { customer } = bundle;
    const label = bundle.churnLabel ?? customers.get(customer.id)?.churnLabel ?? null;
    customers.delete(customer.id);
    customers.set(customer.id, { id: customer.id, accountId: customer.accountId, data: json(customer), churnLabel: label, seq: seq++, phones: customer.phones });
    if (bundle.scores) scores.set(customer.id, { customerId: customer.id, data: json(bundle.scores), seq: seq++ });
    for (const interaction of bundle.interactions) {
      const earlier = interactions.get(interaction.id);
      interactions.set(interaction.id, {
        id: interaction.id,
        customerId: earlier?.customerId ?? interaction.customerId,
        occurredAt: earlier?.occurredAt ?? interaction.occurredAt,
        data: json(interaction),
        seq: seq++,
      });
    }
    for (const transaction of bundle.transactions ?? []) {
      if (!transactions.has(transaction.id)) transactions.set(transaction.id, transaction);
    }
  }
  return { customers: [...customers.values()], scores: [...scores.values()], interactions: [...interactions.values()], transactions: [...transactions.values()] };
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += ROWS_PER_STATEMENT) yield items.slice(start, start + ROWS_PER_STATEMENT);
}

const parseCustomer = (data: string): CustomerProfile => customerProfileSchema.parse(parseJson(data));
const parseScores = (data: string): CustomerScores => customerScoresSchema.parse(parseJson(data));
const parseInteraction = (data: string): Interaction => interactionSchema.parse(parseJson(data));
