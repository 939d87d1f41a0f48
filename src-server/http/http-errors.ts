import type { FastifyReply } from 'fastify';
import type { ZodError } from 'zod';

/** A 400 whose message names the first field that is wrong. */
export function sendValidationError(reply: FastifyReply, error: ZodError): FastifyReply {
  const issue = error.issues[0];
  const field = issue?.path.join('.') || undefined;
  const message = issue ? `${field ? `${field}: ` : ''}${issue.message}` : 'Invalid request';
  return reply.code(400).send({ error: 'invalid_request', message, ...(field ? { field } : {}) });
}

export function sendError(reply: FastifyReply, status: number, error: string, message: string): FastifyReply {
  return reply.code(status).send({ error, message });
}
