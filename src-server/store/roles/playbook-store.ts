import type { OfferStat, Playbook } from '@shared/playbook/playbook';

/** The retention playbook and what was learnt about its offers; both are in the feed. */
export interface PlaybookStore {
  putPlaybook(playbook: Playbook): Promise<void>;
  playbook(): Promise<Playbook | null>;
  bumpOfferStat(offerId: string, segment: string, accepted: boolean): Promise<OfferStat>;
  offerStats(): Promise<OfferStat[]>;
}
