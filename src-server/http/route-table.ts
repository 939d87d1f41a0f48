import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Principal, TokenRole } from '../auth/tokens';
import { asServiceError } from '../routing/service-errors';
import type { AuthGuard } from './auth-guard';
import { sendError, sendValidationError } from './http-errors';
import { WRITE_METHODS, type WriteRateLimiter } from './rate-limit';

/**
 * Every HTTP route is declared once, with its zod schemas: the same
 * declaration registers the Fastify handler (auth, then params, query and
 * body validated in that order, refusals as { error, message, field? }) and
 * feeds the OpenAPI document (openapi.ts), so the documentation cannot drift
 * from what the server accepts.
 */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json. */
  contentType?: string;
}

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Null on public routes. */
  principal: Principal | null;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteSpec<P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined> {
  method: HttpMethod;
  /** Fastify style, e.g. /api/calls/:id/end. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Roles allowed; null for a public route. */
  roles: readonly TokenRole[] | null;
  params?: P;
  query?: Q;
  body?: B;
  /** By status code; errors the route can answer besides the usual 400/401/403. */
  responses: Record<number, RouteResponse>;
  handler(context: RouteContext<Out<P>, Out<Q>, Out<B>>): Promise<unknown>;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** A route with its types erased, as the table keeps it. */
export type AnyRouteSpec = Omit<RouteSpec, 'handler' | 'params' | 'query' | 'body'> & {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  handler(context: RouteContext<unknown, unknown, unknown>): Promise<unknown>;
};

export function defineRoute<P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined>(
  spec: RouteSpec<P, Q, B>,
): AnyRouteSpec {
  return spec as unknown as AnyRouteSpec;
}

export class RouteTable {
  private readonly specs: AnyRouteSpec[] = [];

  add(...specs: AnyRouteSpec[]): void {
    for (const spec of specs) {
      if (this.specs.some((s) => s.method === spec.method && s.path === spec.path)) throw new Error(`route ${spec.method} ${spec.path} declared twice`);
      this.specs.push(spec);
    }
  }

  routes(): readonly AnyRouteSpec[] {
    return this.specs;
  }

  /** Registers every route; with a limiter, each signed-in write (POST, PATCH, PUT, DELETE) is counted against its caller. */
  register(app: FastifyInstance, authenticate: AuthGuard, limiter?: WriteRateLimiter): void {
    for (const spec of this.specs) {
      const limited = limiter !== undefined && spec.roles !== null && WRITE_METHODS.has(spec.method);
      app.route({
        method: spec.method,
        url: spec.path,
        handler: async (request, reply) => {
          let principal: Principal | null = null;
          if (spec.roles !== null) {
            principal = await authenticate(request, reply, spec.roles);
            if (!principal) return reply;
          }
          if (limited && !limiter.admit(principal, request.ip, reply)) return reply;
          const parts: Array<[z.ZodType | undefined, unknown]> = [
            [spec.params, request.params],
            [spec.query, request.query],
            [spec.body, request.body],
          ];
          const parsed: unknown[] = [];
          for (const [schema, value] of parts) {
            if (!schema) {
              parsed.push(undefined);
              continue;
            }
            const result = schema.safeParse(value);
            if (!result.success) return sendValidationError(reply, result.error);
            parsed.push(result.data);
          }
          try {
            return await spec.handler({ params: parsed[0], query: parsed[1], body: parsed[2], principal, request, reply });
          } catch (error) {
            const refused = asServiceError(error);
            if (refused && (refused.status < 500 || refused.code === 'not_authority')) return sendError(reply, refused.status, refused.code, refused.message);
            throw error;
          }
        },
      });
    }
  }
}
