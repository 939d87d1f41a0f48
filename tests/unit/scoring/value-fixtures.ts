import { createRandom } from '@shared/util/random';
import { simulateBgNbdCustomer, simulateMeanSpend } from '@shared/value';
import type { PurchaseHistory } from '../../../src-server/scoring/purchase-history';
import type { ValueModelFile } from '../../../src-server/scoring/value-model-file';
import { fitValueModelFile, type ValueInput } from '../../../src-server/scoring/value-scoring';

/** Customers drawn from the BG/NBD + Gamma-Gamma processes (CDNOW-like parameters), as value inputs. */
export function simulatedValueInputs(n: number, seed: string): ValueInput[] {
  const random = createRandom(seed);
  const bgnbd = { r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 };
  const spend = { p: 6.25, q: 3.74, gamma: 15.44 };
  return Array.from({ length: n }, () => {
    const T = 20 + random.next() * 40;
    const c = simulateBgNbdCustomer(random, bgnbd, T);
    const meanRepeatValue = c.x > 0 ? simulateMeanSpend(random, spend, c.x) : null;
    const first = 10 + random.next() * 40;
    const history: PurchaseHistory = {
      x: c.x,
      tx: c.tx,
      T: c.T,
      meanRepeatValue,
      meanValue: meanRepeatValue === null ? first : (first + c.x * meanRepeatValue) / (c.x + 1),
      purchaseDays: c.x + 1,
      daysSinceLastPurchase: Math.round((c.T - c.tx) * 7),
      trend: null,
    };
    return { history, tenureMonths: Math.round(T / 4.35) };
  });
}

export function valueFileFor(seed: string, n = 1500): ValueModelFile {
  return fitValueModelFile(simulatedValueInputs(n, seed), { asOf: '2025-06-30', createdAt: '2025-07-01T00:00:00.000Z' }).file;
}
