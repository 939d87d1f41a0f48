import type { Interaction } from '@shared/domain/interaction';
import type { Summariser } from './pop-builder';

/**
 * A minimal on-device brief, standing in until the full summariser
 * (shared/summary) is wired: open tickets, last complaint, last offer.
 */
export const interimSummary: Summariser = (history: readonly Interaction[]) => {
  const bullets: string[] = [];
  const open = history.filter((i) => i.ticketStatus === 'open');
  if (open.length > 0) bullets.push(`${open.length} open ticket${open.length === 1 ? '' : 's'}: ${open[open.length - 1]!.summary}`);
  const complaint = [...history].reverse().find((i) => i.topic === 'complaint');
  if (complaint) bullets.push(`Last complaint ${complaint.occurredAt.slice(0, 10)}: ${complaint.summary}`);
  const offered = [...history].reverse().find((i) => i.offer);
  if (offered?.offer) bullets.push(`Last offer ${offered.offer.offerId}: ${offered.offer.result}`);
  if (bullets.length === 0) bullets.push(history.length === 0 ? 'No previous contact.' : `${history.length} previous contacts, nothing open.`);
  return { bullets: bullets.slice(0, 5) };
};
