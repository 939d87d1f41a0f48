import { z } from 'zod';
import { editableFieldSchema } from '../../domain/profile-edit';
import { ok } from './shared';

export const customerMethods = {
  /** The agent corrects a profile field; it is saved offline first and merged per field on the server. */
  'customer.edit': { input: z.object({ customerId: z.string().min(1).max(64), field: editableFieldSchema, value: z.unknown() }), output: ok },
} as const;
