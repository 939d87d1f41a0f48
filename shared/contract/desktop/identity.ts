import { z } from 'zod';
import { identityActionResultSchema, identityCandidateSchema, identitySourceRecordSchema } from '../../domain/identity-candidate';
import { callIdSchema, idSchema } from './shared';

const candidates = z.object({ candidates: z.array(identityCandidateSchema) });

export const identityMethods = {
  /** The candidates of the call on screen, named, with how sure and how each matched. */
  'identity.candidates': { input: z.object({ callId: callIdSchema }).strict(), output: candidates },
  /** The agent says who the caller is: the call binds to that candidate (a confirm decision on the server) and the pop shows them. */
  'identity.pick': { input: z.object({ callId: callIdSchema, customerId: idSchema }).strict(), output: z.object({ confirmed: z.boolean() }) },
  'identity.confirm': { input: z.object({ customerId: idSchema }).strict(), output: identityActionResultSchema },
  /** "Merge with…": the first customer keeps its id; the others are absorbed into it. */
  'identity.merge': { input: z.object({ customerIds: z.array(idSchema).min(2).max(20).refine((ids) => new Set(ids).size === ids.length, 'customer ids must differ') }).strict(), output: identityActionResultSchema },
  /** "Not the same person": the named source records leave the profile, for good. */
  'identity.split': { input: z.object({ customerId: idSchema, recordIds: z.array(z.string().min(1).max(200)).min(1).max(200) }).strict(), output: identityActionResultSchema },
  /** Profiles a customer id, phone or account id points at (to merge with). */
  'identity.find': { input: z.object({ query: z.string().trim().min(2).max(100) }).strict(), output: candidates },
  /** A profile's source records as their systems sent them (to choose which to split off). */
  'identity.records': { input: z.object({ customerId: idSchema }).strict(), output: z.object({ customerId: z.string(), records: z.array(identitySourceRecordSchema) }) },
} as const;
