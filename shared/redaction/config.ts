import { z } from 'zod';

const regionSchema = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'a two-letter region code such as US or IL')
  .transform((s) => s.toUpperCase());

export const redactionConfigSchema = z.object({
  /** Region for phone numbers written in local format. */
  defaultRegion: regionSchema.default('US'),
  /** More regions whose local formats are common in this contact centre. */
  extraPhoneRegions: z.array(regionSchema).default([]),
  /** Countries whose national id formats are searched; default: every row of NATIONAL_ID_RULES. */
  nationalIdCountries: z.array(regionSchema).optional(),
  /** Social-media handles (@name) are public but identify the person. */
  redactHandles: z.boolean().default(true),
  /** Handles kept as-is, e.g. the company's own support account; compared case-insensitively, without the @. */
  handleAllowlist: z.array(z.string()).default([]),
  /** Shape-based catch for phone numbers the phone metadata rejects. */
  phoneFallback: z.boolean().default(true),
  /** Numbers announced by "account number ..." even when not the profile's own. */
  announcedAccounts: z.boolean().default(true),
  /** Names introduced by "my name is", "меня зовут", "שמי"..., for people outside the profile. */
  announcedNames: z.boolean().default(true),
});
export type RedactionConfig = z.infer<typeof redactionConfigSchema>;
export type RedactionConfigInput = z.input<typeof redactionConfigSchema>;

// The countries of NATIONAL_ID_RULES, kept in shared/domain beside the desktop API contract that accepts them.
export { knownNationalIdCountries } from '../domain/national-id-countries';
