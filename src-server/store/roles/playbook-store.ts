import type { OfferStat, Playbook } from '@shared/playbook/playbook';
import type { ScriptFunnel } from '@shared/domain/playbook';

/** A published playbook version, as the history lists it. */
export interface PlaybookVersionInfo {
  version: number;
  publishedAt: string;
  publishedBy: string;
}

/** Publishing refused because someone else published since the editor loaded its base version. */
export interface PublishConflict {
  conflict: true;
  currentVersion: number;
}

/** The retention playbook and what was learnt about its offers; both are in the feed. */
export interface PlaybookStore {
  putPlaybook(playbook: Playbook): Promise<void>;
  playbook(): Promise<Playbook | null>;
  /**
   * Publishes a new version on top of `baseVersion` (the version the editor
   * started from; 0 when there was none): numbered one past it, kept in the
   * history and put in the feed, all in one transaction. Refused when the
   * current version is no longer the base.
   */
  publishPlaybook(playbook: Playbook, baseVersion: number, by: string, at: string): Promise<Playbook | PublishConflict>;
  playbookVersions(): Promise<PlaybookVersionInfo[]>;
  /** Per script and step, from the wrap-ups that recorded a script path (retention calls only, since `sinceIso`). */
  scriptFunnel(sinceIso: string): Promise<ScriptFunnel[]>;
  bumpOfferStat(offerId: string, segment: string, accepted: boolean): Promise<OfferStat>;
  offerStats(): Promise<OfferStat[]>;
}
