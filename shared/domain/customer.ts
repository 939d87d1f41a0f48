import { z } from 'zod';
import { accountStatusSchema } from './account-event';
import { languageSchema } from './language';

export const SOURCE_SYSTEMS = ['crm', 'billing', 'support', 'usage'] as const;
export const sourceSystemSchema = z.enum(SOURCE_SYSTEMS);
export type SourceSystem = z.infer<typeof sourceSystemSchema>;

export const contractTypeSchema = z.enum(['month-to-month', 'one-year', 'two-year']);
export type ContractType = z.infer<typeof contractTypeSchema>;

/** Where one field of the golden record came from (survivorship lineage). */
export const fieldLineageSchema = z.object({
  /** The source system: one of SOURCE_SYSTEMS in the demo, any system name an integration sends. */
  source: z.string().min(1),
  recordId: z.string(),
  at: z.string(),
});
export type FieldLineage = z.infer<typeof fieldLineageSchema>;

export const addressSchema = z.object({
  line1: z.string().nullable(),
  city: z.string().nullable(),
  postcode: z.string().nullable(),
  region: z.string().nullable(),
  country: z.string().length(2),
});

/** Behavioural signals derived from usage, billing and support records. */
export const customerSignalsSchema = z.object({
  usageChange90d: z.number(),
  paymentFailures90d: z.number().int().nonnegative(),
  complaints90d: z.number().int().nonnegative(),
  negativeContacts90d: z.number().int().nonnegative(),
  daysSinceLastContact: z.number().int().nonnegative().nullable(),
  avgResolutionHours: z.number().nonnegative().nullable(),
});
export type CustomerSignals = z.infer<typeof customerSignalsSchema>;

export const planSchema = z.object({
  name: z.string(),
  monthlyCharge: z.number().nonnegative(),
  contractType: contractTypeSchema,
  contractEnd: z.string().nullable(),
  tenureMonths: z.number().int().nonnegative(),
  services: z.array(z.string()),
});
export type Plan = z.infer<typeof planSchema>;

/** One source record linked into a profile by identity resolution, with how sure the link is. */
export const identityLinkSchema = z.object({
  source: z.string(),
  recordId: z.string(),
  /** 0-1: how sure identity resolution is that this record is this person. */
  confidence: z.number().min(0).max(1),
  updatedAt: z.string().nullable().optional(),
});
export type IdentityLink = z.infer<typeof identityLinkSchema>;

/** How the profile was assembled by identity resolution (absent on profiles made before it ran). */
export const customerIdentitySchema = z.object({
  /** 0-1: the weakest link of the cluster; 1 once an agent confirmed or merged it. */
  clusterConfidence: z.number().min(0).max(1),
  /** An agent confirmed, merged or split this profile, so no automatic run will undo it. */
  confirmed: z.boolean().optional(),
  links: z.array(identityLinkSchema),
  /** Set when an agent merged this profile into another one: open that one instead. */
  mergedInto: z.string().optional(),
  resolvedAt: z.string().optional(),
});
export type CustomerIdentity = z.infer<typeof customerIdentitySchema>;

/** The unified profile (golden record) an agent sees. */
export const customerProfileSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  phones: z.array(z.string()),
  email: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
  language: languageSchema,
  timezone: z.string(),
  address: addressSchema,
  plan: planSchema,
  signals: customerSignalsSchema,
  doNotCall: z.boolean(),
  sourceRecordIds: z.array(z.string()),
  lineage: z.record(z.string(), fieldLineageSchema),
  /** Hybrid-logical-clock stamp of the last write to each editable field (last writer wins per field). */
  fieldClocks: z.record(z.string(), z.string()).optional(),
  /** Identity resolution's picture of the profile: its source records with confidences. */
  identity: customerIdentitySchema.optional(),
  /** From billing's account events: set once an event said the customer left (or came back). */
  accountStatus: accountStatusSchema.optional(),
  updatedAt: z.string(),
});
export type CustomerProfile = z.infer<typeof customerProfileSchema>;

export const valueTierSchema = z.enum(['high', 'mid', 'low']);
export type ValueTier = z.infer<typeof valueTierSchema>;

export const churnBandSchema = z.enum(['low', 'medium', 'high']);
export type ChurnBand = z.infer<typeof churnBandSchema>;

/** Why a customer may leave; a driver picks the retention script. */
export const churnDriverSchema = z.enum(['price', 'service', 'usage', 'contract', 'payment', 'tenure', 'other']);
export type ChurnDriver = z.infer<typeof churnDriverSchema>;

export const reasonSchema = z.object({
  code: z.string(),
  driver: churnDriverSchema,
  phrase: z.string(),
  /** The phrase as a message key and its values, so each UI language can word it (the phrase is the English one). */
  template: z.object({ key: z.string(), args: z.record(z.string(), z.union([z.string(), z.number()])) }).optional(),
  /** Contribution to the score, in the model's own units (log-odds for trees, points for the heuristic). */
  weight: z.number(),
});
export type Reason = z.infer<typeof reasonSchema>;

export const customerScoresSchema = z.object({
  customerId: z.string(),
  churnProbability: z.number().min(0).max(1),
  churnBand: churnBandSchema,
  reasons: z.array(reasonSchema),
  churnModel: z.string(),
  clv: z.number(),
  valueTier: valueTierSchema,
  valueModel: z.string(),
  valueAtRisk: z.number(),
  scoredAt: z.string(),
  /** When the churn model that made this score was trained (absent for the heuristic). */
  churnModelTrainedAt: z.string().optional(),
  /**
   * The churn probability as it stood at the customer's last contact, for the
   * trend since then. `replayed` is true when no score was stored at that time
   * and the current model re-scored the history as it stood before the contact.
   */
  churnAtLastContact: z
    .object({ probability: z.number().min(0).max(1), at: z.string(), churnModel: z.string(), replayed: z.boolean() })
    .nullable()
    .optional(),
  /** The score of the previous scoring run, whatever model made it. */
  previousChurn: z.object({ probability: z.number().min(0).max(1), at: z.string(), churnModel: z.string() }).optional(),
  /** RFM quintile scores (1..5, 5 best) within the scored book, and their named segment (e.g. "Champions"). */
  rfm: z.object({ r: z.number().int().min(1).max(5), f: z.number().int().min(1).max(5), m: z.number().int().min(1).max(5) }).optional(),
  rfmSegment: z.string().optional(),
  lifecycleStage: z.enum(['new', 'growing', 'mature', 'declining', 'lapsed']).optional(),
  /** BG/NBD probability that the customer is still an active payer. */
  pAlive: z.number().min(0).max(1).optional(),
});
export type CustomerScores = z.infer<typeof customerScoresSchema>;
