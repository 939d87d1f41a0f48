/**
 * Off-policy evaluation of an offer policy from the learner's logged decisions.
 *
 *   npm run eval:offers -- --log FILE [--policy learner|none|fixed:ARM] [--bootstrap 200] [--seed 1]
 *
 * FILE holds JSON lines written by `npm run sim:offers -- --log FILE`: context
 * (segment, tier, driver, CLV, the arms that were eligible), arm, propensity,
 * reward. --policy learner evaluates the logging policy itself (weights 1, a
 * check of the machinery); none never offers; fixed:ARM makes ARM wherever it
 * was eligible, else no offer. Prints one JSON line: IPS and SNIPS estimates
 * of the policy's mean net value per round with seeded bootstrap 95% intervals.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { NO_OFFER, offPolicyEstimate } from '@shared/offers';

const logLineSchema = z.object({
  round: z.number().int(),
  context: z.object({ segment: z.string(), clv: z.number(), arms: z.array(z.object({ id: z.string(), cost: z.number() })).min(1) }),
  arm: z.string(),
  propensity: z.number().positive().max(1),
  reward: z.number(),
});
type LogLine = z.infer<typeof logLineSchema>;

const flagsSchema = z.object({
  log: z.string({ error: '--log FILE is required' }).min(1),
  policy: z.string().regex(/^(learner|none|fixed:.+)$/, '--policy must be learner, none or fixed:ARM').default('learner'),
  bootstrap: z.coerce.number().int().min(10).max(100_000).default(200),
  seed: z.coerce.number().int().default(1),
});

function fail(message: string): never {
  process.stderr.write(`eval-offers: ${message}\n`);
  process.exit(2);
}

/** The target policy's probability of the logged arm. */
function targetProbability(policy: string, line: LogLine): number {
  if (policy === 'learner') return line.propensity;
  const wanted = policy === 'none' ? NO_OFFER : policy.slice('fixed:'.length);
  const arm = line.context.arms.some((a) => a.id === wanted) ? wanted : NO_OFFER;
  return line.arm === arm ? 1 : 0;
}

function main(): void {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ options: { log: { type: 'string' }, policy: { type: 'string' }, bootstrap: { type: 'string' }, seed: { type: 'string' } }, strict: true }));
  } catch (error) {
    fail((error as Error).message);
  }
  const parsed = flagsSchema.safeParse(values);
  if (!parsed.success) fail(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  const f = parsed.data;
  let text: string;
  try {
    text = readFileSync(f.log, 'utf8');
  } catch (error) {
    fail(`cannot read --log ${f.log}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const lines: LogLine[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    if (raw.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      fail(`${f.log}:${index + 1}: not JSON`);
    }
    const line = logLineSchema.safeParse(json);
    if (!line.success) fail(`${f.log}:${index + 1}: ${line.error.issues[0]?.message ?? 'malformed'}`);
    lines.push(line.data);
  }
  if (lines.length === 0) fail(`${f.log}: no logged decisions`);
  const rows = lines.map((line) => ({ weight: targetProbability(f.policy, line) / line.propensity, reward: line.reward }));
  const estimate = offPolicyEstimate(rows, { bootstrap: f.bootstrap, seed: f.seed });
  const round = (x: number): number => Number(x.toFixed(3));
  process.stdout.write(
    `${JSON.stringify({
      policy: f.policy,
      rounds: estimate.n,
      ips: round(estimate.ips),
      ips_ci95: estimate.ips_ci95.map(round),
      snips: round(estimate.snips),
      snips_ci95: estimate.snips_ci95.map(round),
      effective_n: Math.round(estimate.effective_n),
      logged_mean_reward: round(lines.reduce((s, l) => s + l.reward, 0) / lines.length),
    })}\n`,
  );
}

main();
