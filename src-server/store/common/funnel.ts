import type { ScriptFunnel } from '@shared/domain/playbook';

/** One row of the funnel query: a step of a script, with the earliest position a call reached it at. */
export interface FunnelRow {
  script_id: string;
  step_id: string;
  first_at: number;
  reached: number;
  lost: number;
  saved: number;
}

/** Rows (any order) into one funnel per script, steps in the order calls reach them. */
export function funnelsFrom(rows: readonly FunnelRow[], calls: ReadonlyMap<string, number>): ScriptFunnel[] {
  const byScript = new Map<string, FunnelRow[]>();
  for (const row of rows) byScript.set(row.script_id, [...(byScript.get(row.script_id) ?? []), row]);
  return [...byScript.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([scriptId, steps]) => ({
      scriptId,
      calls: calls.get(scriptId) ?? 0,
      steps: steps
        .sort((a, b) => Number(a.first_at) - Number(b.first_at) || Number(b.reached) - Number(a.reached) || a.step_id.localeCompare(b.step_id))
        .map((r) => ({ stepId: r.step_id, reached: Number(r.reached), lost: Number(r.lost), saved: Number(r.saved) })),
    }));
}
