/**
 * Value model speed: fitting BG/NBD + Gamma-Gamma on a simulated cohort and
 * scoring CLV per customer (what the server does for each demo customer).
 * Run: scripts/node22.sh npx tsx tests/bench/value.bench.ts
 */
import { createRandom } from '@shared/util/random';
import { customerClv, fitValueModel, simulateBgNbdCustomer, simulateMeanSpend } from '@shared/value/index';
import { percentile, reportBench } from './report';

const CUSTOMERS = 20_000;
const random = createRandom('value-bench');
const cohort = Array.from({ length: CUSTOMERS }, () => {
  // Whole days, as real data has, so identical histories share a likelihood row.
  const T = Math.round(7 * (26 + 26 * random.next())) / 7;
  const c = simulateBgNbdCustomer(random, { r: 0.25, alpha: 4.5, a: 0.8, b: 2.4 }, T);
  const tx = Math.round(c.tx * 7) / 7;
  return { x: c.x, tx: Math.min(tx, T), T, meanRepeatValue: c.x > 0 ? simulateMeanSpend(random, { p: 6, q: 3.7, gamma: 15 }, c.x) : null };
});

const fitStart = performance.now();
const model = fitValueModel(cohort);
const fitMs = performance.now() - fitStart;

const perCustomerUs: number[] = [];
const scoreStart = performance.now();
for (const c of cohort) {
  const t0 = performance.now();
  customerClv(c, model);
  perCustomerUs.push((performance.now() - t0) * 1000);
}
const scoreMs = performance.now() - scoreStart;
perCustomerUs.sort((a, b) => a - b);

reportBench('value', {
  customers: CUSTOMERS,
  fitMs: Math.round(fitMs),
  scoreAllMs: Math.round(scoreMs),
  clvUsP50: Number((percentile(perCustomerUs, 50)).toFixed(1)),
  clvUsP99: Number((percentile(perCustomerUs, 99)).toFixed(1)),
  bgnbd: { r: model.bgnbd.r, alpha: model.bgnbd.alpha, a: model.bgnbd.a, b: model.bgnbd.b },
  gammaGamma: { p: model.gammaGamma.p, q: model.gammaGamma.q, gamma: model.gammaGamma.gamma },
});
