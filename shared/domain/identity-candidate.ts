import { z } from 'zod';

/**
 * What the identity routes show an agent (find, records, confirm, merge,
 * split): the candidates a caller or a search points at, a source record as
 * its system sent it, and what an action changed. Here rather than in
 * shared/identity because the desktop API contract is built on them.
 */

export const identityActionResultSchema = z.object({
  records: z.number().int(),
  clusters: z.number().int(),
  customers: z.number().int(),
  changedCustomers: z.array(z.string()),
  unlinkedRecords: z.number().int(),
  ms: z.number(),
});
export type IdentityActionResult = z.infer<typeof identityActionResultSchema>;

/** One profile a search (or a caller's number) points at, named so an agent can tell people apart. */
export const identityCandidateSchema = z.object({
  customerId: z.string(),
  name: z.string(),
  accountId: z.string(),
  city: z.string().nullable(),
  /** Birth year only: enough to tell a parent from a child on a shared phone. */
  birthYear: z.number().int().nullable(),
  /** 0-1 for a caller match; null for a search hit. */
  confidence: z.number().min(0).max(1).nullable(),
  /** What agreed: 'phone', 'account', 'customer id'. */
  matchedOn: z.array(z.string()),
});
export type IdentityCandidate = z.infer<typeof identityCandidateSchema>;

/** A source record as its system sent it, for "which of these is someone else?". */
export const identitySourceRecordSchema = z.object({
  source: z.string(),
  recordId: z.string(),
  name: z.string(),
  dateOfBirth: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  city: z.string().nullable(),
  accountId: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type IdentitySourceRecord = z.infer<typeof identitySourceRecordSchema>;
