import { z } from 'zod';
import { identityCandidateSchema, identitySourceRecordSchema } from '../domain/identity-candidate';

/**
 * The identity routes agents use (find, records, confirm, merge, split), as
 * the server answers them and the desktop checks them: one schema each side.
 * The shapes inside them are in shared/domain, with the desktop API contract.
 */

export {
  identityActionResultSchema,
  identityCandidateSchema,
  identitySourceRecordSchema,
  type IdentityActionResult,
  type IdentityCandidate,
  type IdentitySourceRecord,
} from '../domain/identity-candidate';

export const identityFindResponseSchema = z.object({ candidates: z.array(identityCandidateSchema) });

export const identityRecordsResponseSchema = z.object({ customerId: z.string(), records: z.array(identitySourceRecordSchema) });
