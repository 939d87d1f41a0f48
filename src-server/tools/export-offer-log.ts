/**
 * Exports the offer learner's logged decisions, joined with their verified
 * outcomes, as the JSON lines `npm run eval:offers -- --log FILE` reads.
 *
 *   npm run offers:export-log -- --out FILE [--data DIR | --database-url URL] [--since YYYY-MM-DD] [--horizon-days 30]
 *
 * One line per decision whose call has a retention outcome verified at the
 * horizon: context (segment, CLV, the eligible arms with their costs), the
 * chosen arm, its propensity, and the reward: CLV if the customer stayed,
 * minus the offer's cost. Decisions without an outcome, or too recent to
 * verify, are counted and left out (a claim is not a reward). The last
 * stdout line is one JSON summary.
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { verifyClaim } from '@shared/outcomes';
import { openServerStore, storeLocationFor } from '../store/open-store';

const flagsSchema = z.object({
  out: z.string({ error: '--out FILE is required' }).min(1),
  data: z.string().min(1).default(process.env['HOLDFAST_SERVER_DATA_DIR'] ?? '.holdfast-data/server'),
  'database-url': z.string().min(1).optional(),
  since: z.iso.date({ error: '--since must be a date as YYYY-MM-DD' }).default('1970-01-01'),
  'horizon-days': z.coerce.number({ error: '--horizon-days must be a whole number' }).int().min(1).default(30),
});

function fail(message: string): never {
  process.stderr.write(`offers:export-log: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ options: { out: { type: 'string' }, data: { type: 'string' }, 'database-url': { type: 'string' }, since: { type: 'string' }, 'horizon-days': { type: 'string' } }, strict: true }));
  } catch (error) {
    fail((error as Error).message);
  }
  const parsed = flagsSchema.safeParse(values);
  if (!parsed.success) fail(parsed.error.issues.map((i) => i.message).join('; '));
  const f = parsed.data;
  const store = await openServerStore(storeLocationFor(f['database-url'] ?? process.env['HOLDFAST_DATABASE_URL'], f.data)).catch((error: unknown) => fail((error as Error).message));
  try {
    const since = `${f.since}T00:00:00.000Z`;
    const decisions = await store.offerDecisions(since);
    const outcomes = new Map((await store.retentionOutcomesSince(since)).map((o) => [o.callId, o]));
    const events = await store.accountEventsFor([...new Set(decisions.map((d) => d.customerId))]);
    const eventsOf = new Map<string, typeof events>();
    for (const e of events) eventsOf.set(e.customerId, [...(eventsOf.get(e.customerId) ?? []), e]);
    const now = new Date().toISOString();
    const out = createWriteStream(f.out);
    out.on('error', (error) => fail(`cannot write --out ${f.out}: ${error.message}`));
    const totals = { decisions: decisions.length, written: 0, no_outcome: 0, too_early: 0 };
    for (const decision of decisions) {
      const outcome = outcomes.get(decision.callId);
      if (!outcome) {
        totals.no_outcome++;
        continue;
      }
      const [verdict] = verifyClaim(outcome.createdAt, eventsOf.get(decision.customerId) ?? [], [f['horizon-days']], now);
      if (!verdict || verdict.status === 'too_early') {
        totals.too_early++;
        continue;
      }
      const cost = decision.arms.find((a) => a.id === decision.arm)?.cost ?? 0;
      const reward = (verdict.status === 'stayed' ? decision.clv : 0) - cost;
      out.write(`${JSON.stringify({ round: totals.written, context: { segment: decision.segment, clv: decision.clv, arms: decision.arms }, arm: decision.arm, propensity: decision.propensity, reward })}\n`);
      totals.written++;
    }
    await new Promise<void>((resolve) => out.end(resolve));
    process.stdout.write(`${JSON.stringify(totals)}\n`);
  } finally {
    await store.close();
  }
}

void main();
