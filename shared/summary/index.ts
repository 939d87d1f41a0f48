/**
 * On-device, deterministic summaries: the pre-call brief (summarizeHistory: at most five
 * localised bullets plus the facts behind them) and the after-call wrap-up (draftWrapUp:
 * summary, disposition, follow-ups). Both are the fallback when no model answers in time.
 */
export {
  computeBriefFacts,
  chronological,
  sentimentTrend,
  type BriefFacts,
  type OpenTicketFact,
  type SentimentTrend,
  RECENT_WINDOW,
  PREVIOUS_WINDOW,
  TREND_THRESHOLD,
} from './facts';
export { BRIEF_TEMPLATES, type BriefTemplates, type OfferResult } from './templates';
export { summarizeHistory, renderBrief, BRIEF_KINDS, MAX_BULLETS, type BriefKind, type BriefBullet, type OnDeviceBrief, type OfferNamer } from './brief';
export { generateSyntheticHistory, type SyntheticHistory, type SyntheticHistoryOptions, type PlantedFacts, type PlantedTrend } from './synthetic-history';
export {
  draftWrapUp,
  classifyFollowUp,
  wrapUpInputSchema,
  transcriptTurnSchema,
  dispositionSchema,
  DISPOSITIONS,
  FOLLOW_UP_KINDS,
  type Disposition,
  type FollowUp,
  type FollowUpKind,
  type WrapUpDraft,
  type WrapUpInput,
  type TranscriptTurn,
} from './wrap-up';
