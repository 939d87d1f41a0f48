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

/** When a count fails: what the desktops saw of each call not wrapped up, what the database has, and what the nodes logged. */
export async function explain(cluster: Cluster, callIds: readonly string[], lines: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  const done = new Set(lines.filter((l) => l.ev === 'wrapup').map((l) => String(l.callId)));
  const missing = callIds.filter((id) => !done.has(id));
  const { rows } = await cluster.pool.query<{ id: string; state: string; agent_id: string | null; fence: string | null }>('SELECT id, state, agent_id, fence FROM calls WHERE id = ANY($1)', [missing]);
  console.error(JSON.stringify({ missing: missing.length, calls: rows }));
  for (const id of missing.slice(0, 5)) console.error(id, JSON.stringify(lines.filter((l) => l.callId === id)));
  console.error(JSON.stringify(cluster.exits));
  console.error(cluster.logTail(15));
}
