import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { ReviewCall } from '@shared/contract/review';

/** The export's columns, in order: one row per retention call, as the drill-down shows it. */
export const REVIEW_CSV_COLUMNS = [
  'outcome_id', 'received_at', 'call_id', 'agent_id', 'agent_name', 'team', 'customer_id', 'customer_name',
  'value_tier', 'rfm_segment', 'lifecycle_stage', 'script', 'channel', 'direction', 'routing_arm',
  'churn_probability', 'reasons', 'clv', 'disposition', 'offer_id', 'offer_name', 'offer_outcome', 'offer_cost',
  'notes', 'summary', 'verified',
] as const;

export function csvRecord(call: ReviewCall): Record<(typeof REVIEW_CSV_COLUMNS)[number], string | number | null> {
  return {
    outcome_id: call.outcomeId, received_at: call.receivedAt, call_id: call.callId, agent_id: call.agentId, agent_name: call.agentName,
    team: call.team, customer_id: call.customerId, customer_name: call.customerName,
    value_tier: call.segment.tier, rfm_segment: call.segment.rfm, lifecycle_stage: call.segment.lifecycle,
    script: call.script, channel: call.channel, direction: call.direction, routing_arm: call.arm,
    churn_probability: call.brief.churnProbability, reasons: call.brief.reasons.join('; '), clv: call.brief.clv,
    disposition: call.disposition, offer_id: call.offerId, offer_name: call.offerName, offer_outcome: call.offerOutcome, offer_cost: call.offerCost,
    notes: call.notes, summary: call.summary, verified: call.verified,
  };
}

/**
 * The calls as CSV, produced as they are read (a page at a time), so an
 * export of a year holds one page in memory. Cells that a spreadsheet would
 * run as a formula (=, +, -, @ first) are prefixed with a quote: notes are
 * free text typed during a call.
 */
export function reviewCsv(calls: AsyncIterable<ReviewCall>, onError: (error: Error) => void): Readable {
  const csv = stringify({ header: true, columns: [...REVIEW_CSV_COLUMNS], escape_formulas: true, cast: { number: (n) => String(n) } });
  async function* records() {
    for await (const call of calls) yield csvRecord(call);
  }
  pipeline(Readable.from(records()), csv, (error) => {
    if (error) onError(error);
  });
  return csv;
}
