/**
 * Simulates retention offers learnt from outcomes and compares policies on the same customer stream.
 *
 *   npm run sim:offers -- [--customers 20000] [--rounds 50000] [--seed N] [--delay ROUNDS]
 *     [--exploration F] [--max-cost-share F] [--log FILE]
 *
 * Policies (shared/offers/simulation/run.ts): oracle (knows each customer's
 * true chance to stay: argmax p × CLV − cost), random, best fixed (one arm for
 * everyone, chosen with hindsight), greedy (today's acceptance ranking,
 * shared/playbook/select.ts) and the learner (Thompson sampling over the
 * hierarchical model, shared/offers/thompson.ts). Outcomes reach the learners
 * --delay rounds after the decision. Progress goes to stderr; the last stdout
 * line is one JSON object:
 *   {"rounds","net_value","oracle_net_value","random_net_value","best_fixed_net_value",
 *    "greedy_net_value","ratio_to_oracle","saves","oracle_saves", ...extras}
 * net values and saves are over the rounds after the first 10%.
 * --log FILE writes the learner's decisions as JSON lines (context, arm,
 * propensity, reward) for `npm run eval:offers`.
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_OFFER_SIM, simulateOffers } from '@shared/offers/simulation/run';

const flagsSchema = z.object({
  customers: z.coerce.number({ error: '--customers must be a whole number' }).int('--customers must be a whole number').min(1, '--customers must be at least 1').max(10_000_000).default(DEFAULT_OFFER_SIM.customers),
  rounds: z.coerce.number({ error: '--rounds must be a whole number' }).int('--rounds must be a whole number').min(10, '--rounds must be at least 10').max(100_000_000).default(DEFAULT_OFFER_SIM.rounds),
  seed: z.coerce.number({ error: '--seed must be a whole number' }).int('--seed must be a whole number').default(DEFAULT_OFFER_SIM.seed),
  delay: z.coerce.number({ error: '--delay must be a whole number of rounds' }).int('--delay must be a whole number of rounds').min(0, '--delay must not be negative').default(0),
  exploration: z.coerce.number().min(0).max(1).default(DEFAULT_OFFER_SIM.thompson.minExploration),
  'max-cost-share': z.coerce.number().positive().default(DEFAULT_OFFER_SIM.eligibility.maxCostShare),
  log: z.string().min(1).optional(),
});

function fail(message: string): never {
  process.stderr.write(`sim-offers: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      options: {
        customers: { type: 'string' },
        rounds: { type: 'string' },
        seed: { type: 'string' },
        delay: { type: 'string' },
        exploration: { type: 'string' },
        'max-cost-share': { type: 'string' },
        log: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  const parsed = flagsSchema.safeParse(values);
  if (!parsed.success) fail(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  const f = parsed.data;

  const log = f.log ? createWriteStream(f.log) : undefined;
  log?.on('error', (error) => fail(`cannot write --log ${f.log}: ${error.message}`));
  const started = performance.now();
  const config = {
    ...DEFAULT_OFFER_SIM,
    customers: f.customers,
    rounds: f.rounds,
    seed: f.seed,
    delay: f.delay,
    eligibility: { ...DEFAULT_OFFER_SIM.eligibility, maxCostShare: f['max-cost-share'] },
    thompson: { ...DEFAULT_OFFER_SIM.thompson, minExploration: f.exploration },
  };
  const result = simulateOffers(config, log ? (entry) => log.write(`${JSON.stringify(entry)}\n`) : undefined);
  if (log) await new Promise<void>((resolve) => log.end(resolve));
  const seconds = (performance.now() - started) / 1000;
  const { totals } = result;
  for (const [name, t] of Object.entries(totals)) {
    const arms = Object.entries(t.arm_counts).map(([arm, n]) => `${arm} ${n}`).join(', ');
    process.stderr.write(`${name.padEnd(10)} net ${String(t.net_value).padStart(12)}  saves ${String(t.saves).padStart(6)}  E[value]/round ${t.expected_value_per_round.toFixed(2).padStart(8)}  (${arms})\n`);
  }
  process.stderr.write(`simulated in ${seconds.toFixed(2)} s\n`);
  const out = {
    rounds: config.rounds,
    net_value: totals.learner.net_value,
    oracle_net_value: totals.oracle.net_value,
    random_net_value: totals.random.net_value,
    best_fixed_net_value: totals.best_fixed.net_value,
    greedy_net_value: totals.greedy.net_value,
    ratio_to_oracle: Number((totals.learner.net_value / totals.oracle.net_value).toFixed(4)),
    saves: totals.learner.saves,
    oracle_saves: totals.oracle.saves,
    seed: config.seed,
    delay: config.delay,
    measured_rounds: result.measuredRounds,
    learner_true_value_per_round: Number(totals.learner.expected_value_per_round.toFixed(3)),
    run_s: Number(seconds.toFixed(2)),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

void main();
