import { z } from 'zod';
import { churnDriverSchema, valueTierSchema } from './customer';
import { retentionOfferSchema, retentionScriptSchema } from './offer';

/** The languages every playbook line is written in; `playbook:check` and publishing require all four. */
export const PLAYBOOK_LANGUAGES = ['en', 'he', 'ru', 'zh'] as const;
export const playbookLanguageSchema = z.enum(PLAYBOOK_LANGUAGES);
export type PlaybookLanguage = z.infer<typeof playbookLanguageSchema>;

/**
 * One line in several languages. English is required so a line always has
 * something to show; the others are optional here (a migrated English-only
 * playbook still loads) and required by the publishing check.
 */
export const localisedTextSchema = z
  .object({ en: z.string().trim().min(1), he: z.string().trim().min(1).optional(), ru: z.string().trim().min(1).optional(), zh: z.string().trim().min(1).optional() })
  .strict();
export type LocalisedText = z.infer<typeof localisedTextSchema>;

/** Step, script and answer ids: stable across versions, so the funnel can follow a step through edits. */
export const playbookIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lowercase letters, digits and dashes (at most 64)');

/** A customer's answer at a step, and where it leads. */
export const scriptAnswerSchema = z
  .object({
    id: playbookIdSchema,
    label: localisedTextSchema,
    /** The step this answer leads to; null ends the script. */
    next: playbookIdSchema.nullable(),
    /** For an answer that ends the script: whether the customer was kept or lost (a hint for the wrap-up). */
    outcome: z.enum(['saved', 'lost']).optional(),
  })
  .strict();
export type ScriptAnswer = z.infer<typeof scriptAnswerSchema>;

/** One step of a script: what the agent says, with merge fields like {{customer.firstName}}. */
export const playbookStepSchema = z
  .object({
    id: playbookIdSchema,
    title: localisedTextSchema,
    say: localisedTextSchema,
    /** Offers to present at this step, by catalogue id; "best" is the top-ranked offer for the customer. */
    offers: z.array(z.string().min(1)).max(5).optional(),
    /** No answers: the step ends the script. */
    answers: z.array(scriptAnswerSchema).max(6),
  })
  .strict();
export type PlaybookStep = z.infer<typeof playbookStepSchema>;

/**
 * When a script fits a customer. Every condition given must hold; drivers
 * are matched against the customer's top churn reasons (the first counts
 * most). A script with no conditions is a fallback for anyone.
 */
export const scriptRuleSchema = z
  .object({
    drivers: z.array(churnDriverSchema).optional(),
    tiers: z.array(valueTierSchema).optional(),
    /** Lifecycle stages (new, growing, mature, declining, lapsed). */
    lifecycleStages: z.array(z.string()).optional(),
    /** RFM segments (Champions, At risk, ...). */
    rfmSegments: z.array(z.string()).optional(),
  })
  .strict();
export type ScriptRule = z.infer<typeof scriptRuleSchema>;

export const playbookScriptSchema = z
  .object({
    id: playbookIdSchema,
    name: localisedTextSchema,
    when: scriptRuleSchema,
    /** The first step is where every call starts. */
    steps: z.array(playbookStepSchema).min(1).max(40),
  })
  .strict();
export type PlaybookScript = z.infer<typeof playbookScriptSchema>;

/** The retention playbook: its offers and the branching scripts agents follow. Format 2. */
export const playbookSchema = z.object({
  format: z.literal(2),
  /** Bumped by one on every publish; desktops show the version they follow. */
  version: z.number().int().positive(),
  publishedAt: z.string().nullable().optional(),
  publishedBy: z.string().nullable().optional(),
  offers: z.array(retentionOfferSchema).min(1),
  scripts: z.array(playbookScriptSchema).min(1),
});
export type Playbook = z.infer<typeof playbookSchema>;

/** The first playbook format: English-only, one linear script per churn driver. Read and migrated, never written. */
export const legacyPlaybookSchema = z.object({
  version: z.string(),
  offers: z.array(retentionOfferSchema).min(1),
  scripts: z.array(retentionScriptSchema).min(1),
});
export type LegacyPlaybook = z.infer<typeof legacyPlaybookSchema>;

/** What the feed may carry: a current playbook, or a legacy one that readers migrate. */
export const storedPlaybookSchema = z.union([playbookSchema, legacyPlaybookSchema]);
export type StoredPlaybook = z.infer<typeof storedPlaybookSchema>;

/** Acceptance counts for one offer in one segment, learnt from wrap-ups. */
export const offerStatSchema = z.object({
  offerId: z.string(),
  segment: z.string(),
  made: z.number().int().nonnegative(),
  accepted: z.number().int().nonnegative(),
});
export type OfferStat = z.infer<typeof offerStatSchema>;

/** Where a call got to in its script, recorded with the wrap-up for the supervisor's funnel. */
export const scriptProgressSchema = z
  .object({
    scriptId: playbookIdSchema,
    version: z.number().int().nonnegative(),
    /** Steps reached, in order, the first being the script's start; the last is where the call stopped. */
    path: z.array(playbookIdSchema).min(1).max(200),
  })
  .strict();
export type ScriptProgress = z.infer<typeof scriptProgressSchema>;

/** One step of one script in the funnel: calls that reached it, and of those that stopped there, kept and lost. */
export const funnelStepSchema = z.object({
  stepId: z.string(),
  reached: z.number().int().nonnegative(),
  /** Calls whose script stopped at this step and were wrapped up as churned. */
  lost: z.number().int().nonnegative(),
  /** Calls whose script stopped at this step and were wrapped up as retained. */
  saved: z.number().int().nonnegative(),
});
export const scriptFunnelSchema = z.object({ scriptId: z.string(), calls: z.number().int().nonnegative(), steps: z.array(funnelStepSchema) });
export type ScriptFunnel = z.infer<typeof scriptFunnelSchema>;
