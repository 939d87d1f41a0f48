import { z } from 'zod';
import type { CustomerProfile } from '@shared/domain/customer';

/** What the redactor knows about one customer, to find it in free text. */
export const redactionProfileSchema = z.object({
  givenNames: z.array(z.string().min(1)).default([]),
  familyNames: z.array(z.string().min(1)).default([]),
  accountIds: z.array(z.string().min(1)).default([]),
  phones: z.array(z.string().min(1)).default([]),
  emails: z.array(z.string().min(1)).default([]),
  /** Street lines (and the city when the deployment treats it as identifying). */
  addressLines: z.array(z.string().min(1)).default([]),
  postcodes: z.array(z.string().min(1)).default([]),
});
export type RedactionProfile = z.infer<typeof redactionProfileSchema>;

export const EMPTY_PROFILE: RedactionProfile = redactionProfileSchema.parse({});

export interface ProfileOptions {
  /** A city names many people; redact it only where the deployment asks to. */
  readonly includeCity?: boolean;
}

type ProfileFields = Pick<CustomerProfile, 'givenName' | 'familyName' | 'accountId' | 'phones' | 'email'> & {
  address: Pick<CustomerProfile['address'], 'line1' | 'city' | 'postcode'>;
};

export function redactionProfileFromCustomer(customer: ProfileFields, options: ProfileOptions = {}): RedactionProfile {
  const nonEmpty = (values: (string | null | undefined)[]): string[] =>
    values.filter((v): v is string => typeof v === 'string' && v.trim().length > 0);
  return {
    givenNames: nonEmpty([customer.givenName]),
    familyNames: nonEmpty([customer.familyName]),
    accountIds: nonEmpty([customer.accountId]),
    phones: nonEmpty(customer.phones),
    emails: nonEmpty([customer.email]),
    addressLines: nonEmpty([customer.address.line1, options.includeCity ? customer.address.city : null]),
    postcodes: nonEmpty([customer.address.postcode]),
  };
}

const customerLikeSchema = z.object({
  givenName: z.string(),
  familyName: z.string(),
  accountId: z.string().default(''),
  phones: z.array(z.string()).default([]),
  email: z.string().nullable().default(null),
  address: z
    .object({ line1: z.string().nullable().default(null), city: z.string().nullable().default(null), postcode: z.string().nullable().default(null) })
    .default({ line1: null, city: null, postcode: null }),
});

/**
 * Accepts either a customer profile (the golden record, or the subset of it
 * that matters here) or a redaction profile, and says what is wrong otherwise.
 */
export function parseProfileInput(input: unknown, options: ProfileOptions = {}): RedactionProfile {
  const asCustomer = customerLikeSchema.safeParse(input);
  if (asCustomer.success) return redactionProfileFromCustomer(asCustomer.data, options);
  const asProfile = redactionProfileSchema.strict().safeParse(input);
  if (asProfile.success) return asProfile.data;
  const problems = asCustomer.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).slice(0, 5);
  throw new Error(`Not a customer profile (givenName, familyName, accountId, phones, email, address) nor a redaction profile: ${problems.join('; ')}`);
}
