import { createRandom } from '@shared/util/random';
import { binColumns, binLayout } from '@shared/churn/binning';
import { encodeColumns } from '@shared/churn/encode';
import type { BinnedData } from '@shared/churn/gbdt';
import { detectSchema } from '@shared/churn/schema';
import type { FeatureSpec } from '@shared/churn/schema';
import { customerFeatureRow } from '@shared/churn/customer-features';
import { syntheticCustomers } from '@shared/churn/synthetic';
import { trainChurnModel } from '@shared/churn/train';
import type { ChurnModel } from '@shared/churn/model';

/** Two uniform features and an XOR-of-thresholds label with a little label noise. */
export function xorRows(n: number, seed: string, noise = 0.05): Record<string, unknown>[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => {
    const a = random.next();
    const b = random.next();
    const xor = (a > 0.5) !== (b > 0.5);
    return { a, b, y: (random.chance(noise) ? !xor : xor) ? 1 : 0 };
  });
}

export interface Prepared {
  features: FeatureSpec[];
  layout: ReturnType<typeof binLayout>;
  data: BinnedData;
  encoded: Float64Array;
}

/** Schema, encoding and bins of a labelled table (target column "y"). */
export function prepare(rows: Record<string, unknown>[], target = 'y'): Prepared {
  const { features } = detectSchema(rows, target);
  const n = rows.length;
  const encoded = encodeColumns(features, rows);
  const labels = Uint8Array.from(rows, (r) => Number(r[target]));
  return { features, layout: binLayout(features), encoded, data: { bins: binColumns(features, encoded, n), n, labels } };
}

/** Encoded row i from a column-major matrix. */
export function encodedRow(encoded: Float64Array, n: number, d: number, i: number): Float64Array {
  return Float64Array.from({ length: d }, (_, j) => encoded[j * n + i] as number);
}


export const AS_OF = '2025-06-30';

let cachedModel: ChurnModel | null = null;

/** A small blended model on synthetic customers' product feature rows (trained once per test file). */
export function smallCustomerModel(): ChurnModel {
  if (cachedModel) return cachedModel;
  const rows = syntheticCustomers(900, 'unit-model', AS_OF).map(({ profile, churned }) => ({ ...customerFeatureRow(profile, AS_OF), churned: churned ? 'yes' : 'no' }));
  cachedModel = trainChurnModel(rows, 'churned', { seed: 3, innerFolds: 3, lambdaGrid: [30, 3, 0.3], createdAt: '2025-07-01T00:00:00.000Z' });
  return cachedModel;
}
