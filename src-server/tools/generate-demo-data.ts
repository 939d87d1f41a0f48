import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { generateCustomer } from '@shared/demo-data/generate';

/**
 * `npm run demo-data -- --customers N [--seed S] [--as-of YYYY-MM-DD] --out DIR`
 * Streams the demo book to NDJSON files, one line per record, so a million
 * customers never sit in memory: source records (as each system holds them),
 * interactions, transactions, and the truth (which records are one person,
 * and who left) for evaluating identity resolution and churn models.
 */
const { values } = parseArgs({
  options: { customers: { type: 'string', default: '5000' }, seed: { type: 'string', default: '7' }, 'as-of': { type: 'string', default: '2026-11-20' }, out: { type: 'string' } },
});
const options = z.object({
  customers: z.coerce.number().int().min(1).max(1_000_000),
  seed: z.coerce.number().int(),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD'),
  out: z.string({ error: '--out DIR is required' }).min(1),
}).parse({ customers: values.customers, seed: values.seed, asOf: values['as-of'], out: values.out });

const dir = resolve(options.out);
mkdirSync(dir, { recursive: true });
const streams = {
  records: createWriteStream(join(dir, 'source-records.ndjson')),
  interactions: createWriteStream(join(dir, 'interactions.ndjson')),
  transactions: createWriteStream(join(dir, 'transactions.ndjson')),
  truth: createWriteStream(join(dir, 'truth.ndjson')),
};

async function write(stream: WriteStream, value: unknown): Promise<void> {
  if (!stream.write(`${JSON.stringify(value)}\n`)) await once(stream, 'drain');
}

for (let i = 0; i < options.customers; i++) {
  const customer = generateCustomer({ seed: options.seed, customers: options.customers, asOf: options.asOf }, i);
  for (const record of customer.records) await write(streams.records, record);
  for (const interaction of customer.interactions) await write(streams.interactions, interaction);
  for (const transaction of customer.transactions) await write(streams.transactions, transaction);
  await write(streams.truth, { personId: customer.truthId, accountId: customer.accountId, recordIds: customer.records.map((r) => r.recordId), churnedNext90d: customer.churnedNext90d });
  if ((i + 1) % 50_000 === 0) process.stderr.write(`${i + 1} customers\n`);
}
await Promise.all(Object.values(streams).map((stream) => new Promise((r) => stream.end(r))));
console.log(JSON.stringify({ customers: options.customers, out: dir }));
