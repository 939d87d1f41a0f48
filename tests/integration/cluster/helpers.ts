import type { Cluster } from '../../support/cluster-harness';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitUntil(test: () => boolean | Promise<boolean>, timeoutMs: number, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Outcome rows (applied wrap-ups) per call, read from the cluster's database. */
export async function countOutcomes(cluster: Cluster, callIds: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await cluster.pool.query<{ call_id: string; n: string }>('SELECT call_id, count(*) AS n FROM outcomes WHERE call_id = ANY($1) GROUP BY call_id', [callIds]);
  return new Map(rows.map((r) => [r.call_id, Number(r.n)]));
}
