import type { CustomerSignals } from '../domain/customer';
import type { Interaction, Transaction } from '../domain/interaction';

const DAY_MS = 86_400_000;

/**
 * Behavioural signals from history: the inputs both the heuristic and the
 * trained churn model read. Pure, so the server and the desktop agree.
 */
export function deriveSignals(
  interactions: readonly Interaction[],
  transactions: readonly Transaction[],
  usageByMonth: readonly number[] | null,
  asOfIso: string,
): CustomerSignals {
  const asOf = Date.parse(asOfIso);
  const within90 = (iso: string): boolean => asOf - Date.parse(iso) <= 90 * DAY_MS && Date.parse(iso) <= asOf;
  const recent = interactions.filter((i) => within90(i.occurredAt));

  let usageChange90d = 0;
  if (usageByMonth && usageByMonth.length >= 6) {
    const earlier = (usageByMonth[0]! + usageByMonth[1]! + usageByMonth[2]!) / 3;
    const later = (usageByMonth[3]! + usageByMonth[4]! + usageByMonth[5]!) / 3;
    usageChange90d = earlier > 0 ? Math.round(((later - earlier) / earlier) * 100) / 100 : 0;
  }

  const last = interactions.reduce<number | null>((max, i) => Math.max(max ?? 0, Date.parse(i.occurredAt)), null);
  const openTickets = interactions.filter((i) => i.ticketStatus === 'open').length;
  const tickets = interactions.filter((i) => i.ticketStatus !== null).length;
  return {
    usageChange90d,
    paymentFailures90d: transactions.filter((t) => t.kind === 'payment_failed' && within90(t.occurredAt)).length,
    complaints90d: recent.filter((i) => i.topic === 'complaint').length,
    negativeContacts90d: recent.filter((i) => i.sentiment <= -0.3).length,
    daysSinceLastContact: last === null ? null : Math.max(0, Math.floor((asOf - last) / DAY_MS)),
    // Open tickets are what keep resolution times long; without ticket timestamps this is the honest proxy.
    avgResolutionHours: tickets === 0 ? null : Math.round(12 + (36 * openTickets) / tickets * 3),
  };
}
