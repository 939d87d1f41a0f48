import { z } from 'zod';
import { languageSchema } from './language';

/** Agents take calls, supervisors run the floor, admins manage accounts (and are not on the floor). */
export const roleSchema = z.enum(['agent', 'supervisor', 'admin']);
export type Role = z.infer<typeof roleSchema>;

export const presenceSchema = z.enum(['offline', 'available', 'reserved', 'on_call', 'wrap_up', 'away']);
export type Presence = z.infer<typeof presenceSchema>;

export const agentLanguageSchema = z.object({
  code: languageSchema,
  /** 1 (basic) .. 5 (native). */
  proficiency: z.number().int().min(1).max(5),
});

export const agentSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  languages: z.array(agentLanguageSchema),
  skills: z.array(z.string()),
  /** The team the agent sits in, for the supervisor's review; absent when teams are not used. */
  team: z.string().min(1).max(100).optional(),
});
export type Agent = z.infer<typeof agentSchema>;

/** What a supervisor sees of one agent right now. */
export const agentStatusSchema = agentSchema.extend({
  presence: presenceSchema,
  presenceSince: z.string(),
  currentCallId: z.string().nullable(),
  savesToday: z.number().int().nonnegative(),
  callsToday: z.number().int().nonnegative(),
});
export type AgentStatus = z.infer<typeof agentStatusSchema>;
