import { z } from 'zod';
import { agentSchema } from '../domain/agent';
import { intentSchema } from '../domain/call';
import { languageSchema } from '../domain/language';

/** HTTP API of the routing server: request and response bodies. */

export const loginRequestSchema = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const loginResponseSchema = z.object({
  token: z.string(),
  agent: agentSchema,
  expiresAt: z.string(),
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const demoUserSchema = z.object({
  username: z.string(),
  password: z.string(),
  displayName: z.string(),
  role: z.enum(['agent', 'supervisor']),
  languages: z.array(languageSchema),
});
export type DemoUser = z.infer<typeof demoUserSchema>;

export const serverInfoSchema = z.object({
  name: z.literal('holdfast-routing-server'),
  version: z.string(),
  demoMode: z.boolean(),
  demoUsers: z.array(demoUserSchema),
});
export type ServerInfo = z.infer<typeof serverInfoSchema>;

export const createCallRequestSchema = z.object({
  callerNumber: z.string().trim().min(3).max(32),
  accountId: z.string().trim().min(1).max(64).optional(),
  language: languageSchema.default('en'),
  intent: intentSchema.default('general'),
});
export type CreateCallRequest = z.input<typeof createCallRequestSchema>;

export const createCallResponseSchema = z.object({
  callId: z.string(),
  customerId: z.string().nullable(),
  state: z.string(),
});
export type CreateCallResponse = z.infer<typeof createCallResponseSchema>;

export const errorResponseSchema = z.object({
  error: z.string(),
  message: z.string(),
  field: z.string().optional(),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;
