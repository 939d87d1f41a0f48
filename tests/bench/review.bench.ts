import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3-multiple-ciphers';
import pg from 'pg';
import type { ReviewFilter, StoredVerdict } from '@shared/contract/review';
import { REVIEW_DIMENSIONS } from '@shared/contract/review';
import type { OutcomeRecord } from '@shared/domain/wrap-up';
import { addDays } from '@shared/supervisor/review-figures';
import { ReviewService } from '../../src-server/review/review-service';
import { FACT_COLUMNS, factRow } from '../../src-server/store/common/review-sql';
import { openServerStore } from '../../src-server/store/open-store';
import type { ReviewFact, ServerStore } from '../../src-server/store/server-store';
import { createTestDatabase } from '../support/postgres';
import { makeTempDir } from '../support/temp-dir';
import { percentile } from './report';

/**
 * `npm run bench:review -- --outcomes 1000000 [--store sqlite|postgres|both] [--days 365] [--rounds 3]`
 *
 * Loads that many outcomes (spread over `days` days up to today, 60 agents in
 * 2 teams, every cut varied) into a fresh SQLite file and a fresh PostgreSQL
 * database through each store's migrations, then times the review's queries
 * as the HTTP routes run them (ReviewService): summary with the previous
 * period, daily and weekly trend, a cut, the first drill-down page and the
 * cohort, for today / 7 / 30 / 91 days, unfiltered and with one or two cuts
 * filtered. Prints one line per store:
 *   {"outcomes":..,"store":..,"p50_ms":..,"p95_ms":..}
 * and writes bench-results/review-<store>.json with the figures per query kind.
 */
const { values } = parseArgs({
  options: {
    outcomes: { type: 'string', default: '1000000' },
    store: { type: 'string', default: 'both' },
    days: { type: 'string', default: '365' },
    rounds: { type: 'string', default: '3' },
  },
});
const OUTCOMES = Number(values.outcomes);
const DAYS = Number(values.days);
const ROUNDS = Number(values.rounds);
if (!Number.isInteger(OUTCOMES) || OUTCOMES < 1) throw new Error(`--outcomes must be a positive integer, not "${values.outcomes}"`);
if (!['sqlite', 'postgres', 'both'].includes(values.store)) throw new Error(`--store must be sqlite, postgres or both, not "${values.store}"`);
const log = (message: string): void => void process.stderr.write(`${message}\n`);

const TODAY = new Date().toISOString().slice(0, 10);
const END_MS = Date.parse(`${TODAY}T23:59:59.000Z`);
const SPAN_MS = DAYS * 86_400_000;
const AGENTS = 60;
const OFFERS = ['OFF-DISCOUNT', 'OFF-UPGRADE', 'OFF-CREDIT', 'OFF-LOYALTY', 'OFF-PAUSE', 'OFF-BUNDLE', 'OFF-CONTRACT'];
const RFM = ['Champions', 'Loyal', 'Potential loyalist', 'New', 'Promising', 'Need attention', 'About to sleep', 'At risk', "Can't lose them", 'Hibernating', 'Lost'];
const LIFECYCLE = ['new', 'growing', 'mature', 'declining', 'lapsed'];
const DRIVERS = ['price', 'service', 'usage', 'contract', 'payment', 'tenure', 'other'];
const DISPOSITIONS = ['retained', 'retained', 'churned', 'undecided', 'callback', 'retained', 'churned', 'not_retention'] as const;

/** A cheap integer hash, so the data set is the same on every run and every store. */
const mix = (n: number, salt: number): number => {
  let x = (n * 2654435761 + salt * 40503) >>> 0;
  x = ((x ^ (x >>> 15)) * 2246822519) >>> 0;
  return (x ^ (x >>> 13)) >>> 0;
};
const pick = <T>(list: readonly T[], n: number, salt: number): T => list[mix(n, salt) % list.length]!;

/** Billing's verdict 30 days on, as the verified-outcomes job records it: a quarter of the older outcomes left. */
function verdictOf(n: number, at: string): StoredVerdict {
  if (Date.parse(at) > END_MS - 30 * 86_400_000) return 'pending';
  return mix(n, 16) % 4 === 0 ? 'left' : 'stayed';
}

function generated(n: number): { outcome: OutcomeRecord; fact: ReviewFact } {
  const at = new Date(END_MS - Math.floor((n / OUTCOMES) * SPAN_MS)).toISOString();
  const agent = mix(n, 1) % AGENTS;
  const offered = mix(n, 2) % 3 !== 0;
  const disposition = pick(DISPOSITIONS, n, 3);
  const clv = 200 + (mix(n, 4) % 5000);
  const outbound = mix(n, 5) % 4 === 0;
  const id = `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  const outcome: OutcomeRecord = {
    id, callId: `BENCH-${n}`, customerId: `C-${mix(n, 6) % 200_000}`, agentId: `A${String(agent).padStart(3, '0')}`,
    disposition, offerId: offered ? pick(OFFERS, n, 7) : null, offerOutcome: offered ? (mix(n, 8) % 2 === 0 ? 'accepted' : 'declined') : 'no_offer',
    notes: `Customer ${n} discussed the bill`, summary: 'Wants a lower price; offered a discount.', summaryAuthor: 'agent', createdAt: at,
    agentName: `Agent ${agent}`, customerName: `Customer ${n}`, valueTier: pick(['high', 'mid', 'low'], n, 9), clv, receivedAt: at,
  };
  const fact: ReviewFact = {
    team: agent % 2 === 0 ? 'Harbour' : 'Summit', tier: outcome.valueTier!, rfm: pick(RFM, n, 10), lifecycle: pick(LIFECYCLE, n, 11),
    script: pick(DRIVERS, n, 12), channel: 'call', direction: outbound ? 'outreach' : 'inbound',
    arm: outbound ? 'none' : mix(n, 13) % 10 === 0 ? 'baseline' : 'policy', offerCost: offered ? 10 * (1 + (mix(n, 14) % 12)) : 0,
    brief: { churnProbability: (mix(n, 15) % 100) / 100, reasons: ['Bill went up 20%', 'Two failed payments'], clv },
  };
  return { outcome, fact };
}

const BATCH = 10_000;
function* batches(): Generator<{ outcomes: unknown[][]; facts: unknown[][] }> {
  for (let start = 1; start <= OUTCOMES; start += BATCH) {
    const outcomes: unknown[][] = [];
    const facts: unknown[][] = [];
    for (let n = start; n < Math.min(start + BATCH, OUTCOMES + 1); n++) {
      const { outcome, fact } = generated(n);
      outcomes.push([outcome.id, outcome.callId, outcome.customerId, outcome.agentId, outcome.disposition, outcome.receivedAt, JSON.stringify(outcome)]);
      facts.push([...factRow(outcome, fact), verdictOf(n, outcome.receivedAt)]);
    }
    yield { outcomes, facts };
  }
}

const OUTCOME_COLUMNS = ['id', 'call_id', 'customer_id', 'agent_id', 'disposition', 'received_at', 'data'];
/** The facts as the wrap-up writes them, with the verdict the verified-outcomes job adds later. */
const LOADED_FACT_COLUMNS = [...FACT_COLUMNS, 'verdict'];

/** Bulk load straight into the tables the store's migrations made (the write path per outcome is the wrap-up's, not a loader's). */
function loadSqlite(file: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insertOutcome = db.prepare(`INSERT INTO outcomes (${OUTCOME_COLUMNS.join(', ')}) VALUES (${OUTCOME_COLUMNS.map(() => '?').join(', ')})`);
  const insertFact = db.prepare(`INSERT INTO review_facts (${LOADED_FACT_COLUMNS.join(', ')}) VALUES (${LOADED_FACT_COLUMNS.map(() => '?').join(', ')})`);
  for (const batch of batches()) {
    db.transaction(() => {
      for (const row of batch.outcomes) insertOutcome.run(...row);
      for (const row of batch.facts) insertFact.run(...row);
    })();
  }
  db.pragma('optimize');
  db.close();
}

async function loadPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SET synchronous_commit = off');
    // One statement per batch and table: each column goes as one array and unnest turns them back into rows.
    const unnest = async (table: string, columns: readonly string[], types: readonly string[], rows: unknown[][]): Promise<void> => {
      const arrays = columns.map((_, c) => rows.map((r) => r[c]));
      await client.query(`INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`, arrays);
    };
    const factTypes = LOADED_FACT_COLUMNS.map((c) => (['retention', 'saved', 'offer_made', 'offer_accepted'].includes(c) ? 'smallint' : ['value_saved', 'offer_cost'].includes(c) ? 'float8' : 'text'));
    for (const batch of batches()) {
      await unnest('outcomes', OUTCOME_COLUMNS, OUTCOME_COLUMNS.map(() => 'text'), batch.outcomes);
      await unnest('review_facts', LOADED_FACT_COLUMNS, factTypes, batch.facts);
    }
    await client.query('VACUUM ANALYZE outcomes');
    await client.query('VACUUM ANALYZE review_facts');
  } finally {
    await client.end();
  }
}

interface Timing { kind: string; ms: number }

async function timeQueries(store: ServerStore): Promise<Timing[]> {
  // The live board is not a query over outcomes; everything else the review screen asks is timed.
  const service = new ReviewService(store, null as never, { waitSeconds: 60, minClv: 1000, minChurnRisk: 0.5 });
  const ranges = [1, 7, 30, 91].map((days) => ({ from: addDays(TODAY, -(days - 1)), to: TODAY }));
  const filters = (range: { from: string; to: string }): ReviewFilter[] => [
    range,
    { ...range, agent: 'A007' },
    { ...range, tier: 'high' },
    { ...range, direction: 'inbound', offer: 'OFF-DISCOUNT' },
    { ...range, team: 'Harbour' },
  ];
  const timings: Timing[] = [];
  const time = async (kind: string, work: () => Promise<unknown>): Promise<void> => {
    const started = performance.now();
    await work();
    timings.push({ kind, ms: performance.now() - started });
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const range of ranges) {
      for (const filter of filters(range)) {
        await time('summary', () => service.summary(filter));
        await time('trend-day', () => service.trend(filter, 'day'));
        await time('trend-week', () => service.trend(filter, 'week'));
        await time('cut', () => service.cut(filter, REVIEW_DIMENSIONS[(round * 3 + timings.length) % REVIEW_DIMENSIONS.length]!));
        await time('calls', () => service.calls(filter, { show: 'calls', limit: 50 }));
        await time('cohort', () => service.cohort(filter, new Date()));
      }
    }
  }
  return timings;
}

function summarise(store: string, timings: Timing[], loadSeconds: number) {
  const all = timings.map((t) => t.ms).sort((a, b) => a - b);
  const r = (x: number): number => Math.round(x * 10) / 10;
  const kinds = [...new Set(timings.map((t) => t.kind))].map((kind) => {
    const ms = timings.filter((t) => t.kind === kind).map((t) => t.ms).sort((a, b) => a - b);
    return { kind, queries: ms.length, p50_ms: r(percentile(ms, 50)), p95_ms: r(percentile(ms, 95)), max_ms: r(ms[ms.length - 1]!) };
  });
  const line = { outcomes: OUTCOMES, store, p50_ms: r(percentile(all, 50)), p95_ms: r(percentile(all, 95)) };
  const dir = join(process.cwd(), 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `review-${store}.json`), JSON.stringify({ bench: 'review', at: new Date().toISOString(), node: process.version, ...line, days: DAYS, rounds: ROUNDS, queries: all.length, load_seconds: r(loadSeconds), kinds }, null, 2) + '\n');
  log(kinds.map((k) => `  ${k.kind.padEnd(10)} p50 ${k.p50_ms} ms  p95 ${k.p95_ms} ms  max ${k.max_ms} ms`).join('\n'));
  process.stdout.write(JSON.stringify(line) + '\n');
}

async function benchSqlite(): Promise<void> {
  const dir = makeTempDir('bench-review');
  try {
    const file = join(dir.path, 'review.db');
    (await openServerStore({ kind: 'sqlite', file })).close();
    const started = Date.now();
    loadSqlite(file);
    const store = await openServerStore({ kind: 'sqlite', file });
    try {
      await store.rebuildReviewRollups();
      const loadSeconds = (Date.now() - started) / 1000;
      log(`sqlite: ${OUTCOMES} outcomes loaded and rolled up in ${loadSeconds.toFixed(1)} s`);
      summarise('sqlite', await timeQueries(store), loadSeconds);
    } finally {
      await store.close();
    }
  } finally {
    dir.remove();
  }
}

async function benchPostgres(): Promise<void> {
  const database = await createTestDatabase('bench review');
  try {
    await (await openServerStore({ kind: 'postgres', url: database.url })).close();
    const started = Date.now();
    await loadPostgres(database.url);
    const store = await openServerStore({ kind: 'postgres', url: database.url });
    try {
      await store.rebuildReviewRollups();
      const loadSeconds = (Date.now() - started) / 1000;
      log(`postgres: ${OUTCOMES} outcomes loaded and rolled up in ${loadSeconds.toFixed(1)} s`);
      summarise('postgres', await timeQueries(store), loadSeconds);
    } finally {
      await store.close();
    }
  } finally {
    await database.drop();
  }
}

if (values.store !== 'postgres') await benchSqlite();
if (values.store !== 'sqlite') await benchPostgres();
