import { z } from 'zod';
import { languageSchema } from '@shared/domain/language';

/**
 * The engine's whole state as plain JSON, so the server can persist it (e.g.
 * one SQLite row written after each batch) and restore it after a restart.
 * Indexes are not stored; they are rebuilt in the recorded order, so a
 * restored router makes exactly the decisions the original would have.
 */
const slotSchema = z.object({
  callId: z.string(),
  phase: z.enum(['reserved', 'accepted', 'connected', 'wrap_up']),
  since: z.number(),
});

export const agentSnapshotSchema = z.object({
  id: z.string().min(1),
  languages: z.partialRecord(languageSchema, z.number().int().min(1).max(5)),
  skills: z.array(z.string()),
  capacity: z.number().int().min(1),
  online: z.boolean(),
  availability: z.enum(['available', 'away']),
  presence: z.enum(['available', 'reserved', 'on_call', 'wrap_up', 'away', 'offline']),
  presenceSince: z.number(),
  readySince: z.number(),
  readySeq: z.number().int(),
  slots: z.array(slotSchema),
  occupancy: z.number().min(0).max(1),
  occupancyAt: z.number(),
  consecutiveHighRisk: z.number().int().nonnegative(),
});

export const callSnapshotSchema = z.object({
  id: z.string().min(1),
  language: languageSchema,
  intent: z.string(),
  requiredSkills: z.array(z.string()),
  customerId: z.string(),
  segment: z.string().min(1),
  churnRisk: z.number().min(0).max(1),
  clv: z.number().nonnegative(),
  valueAtRisk: z.number().nonnegative(),
  arrivedAt: z.number(),
  queue: z.string().min(1),
  arm: z.enum(['policy', 'baseline']),
  phase: z.enum(['waiting', 'reserved', 'accepted', 'connected']),
  phaseSince: z.number(),
  agentId: z.string().nullable(),
  deadline: z.number().nullable(),
  excluded: z.array(z.string()),
  enqueueSeq: z.number().int(),
  offers: z.number().int().nonnegative(),
  transfers: z.number().int().nonnegative(),
});

export const completedCallSchema = z.object({
  callId: z.string(),
  phase: z.enum(['ended', 'abandoned']),
  agentId: z.string().nullable(),
  at: z.number(),
  arm: z.enum(['policy', 'baseline']),
  queue: z.string(),
});

export const statsSnapshotSchema = z.object({
  segments: z.array(
    z.object({
      segment: z.string().min(1),
      prior: z.object({
        alpha: z.number().positive(),
        beta: z.number().positive(),
        method: z.enum(['moments', 'fallback']),
      }),
      fittedAtN: z.number().int().nonnegative(),
      cells: z.array(z.tuple([z.string(), z.number().int().nonnegative(), z.number().nonnegative()])),
    }),
  ),
});

export const routerSnapshotSchema = z.object({
  format: z.literal('holdfast-router'),
  version: z.literal(1),
  lastNow: z.number(),
  seq: z.number().int().nonnegative(),
  agents: z.array(agentSnapshotSchema),
  calls: z.array(callSnapshotSchema),
  completed: z.array(completedCallSchema),
  stats: statsSnapshotSchema,
});

export type RouterSnapshot = z.infer<typeof routerSnapshotSchema>;
export type AgentSnapshot = z.infer<typeof agentSnapshotSchema>;
export type CallSnapshot = z.infer<typeof callSnapshotSchema>;
