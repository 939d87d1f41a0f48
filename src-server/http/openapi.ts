import { z } from 'zod';
import { errorResponseSchema } from '@shared/contract/server-http';
import { defineRoute, type AnyRouteSpec, type RouteTable } from './route-table';

type JsonSchema = Record<string, unknown>;

/** Fastify's /api/calls/:id/end is OpenAPI's /api/calls/{id}/end. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete json.$schema;
  return json;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

const STANDARD_ERRORS: Record<number, string> = {
  400: 'Malformed request: the message and `field` name what is wrong',
  401: 'Missing, invalid or expired bearer token',
  403: 'The token has none of the roles this route needs',
  429: 'Too many writes from this caller: try again after Retry-After seconds',
};

function operation(spec: AnyRouteSpec): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, response] of Object.entries(spec.responses)) {
    const contentType = response.contentType ?? 'application/json';
    responses[status] = {
      description: response.description,
      ...(response.schema
        ? { content: { [contentType]: { schema: toSchema(response.schema, 'output') } } }
        : Number(status) >= 400
          ? { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
          : contentType !== 'application/json'
            ? { content: { [contentType]: { schema: { type: 'string' } } } }
            : {}),
    };
  }
  const errors = [400, ...(spec.roles ? [401, 403] : []), ...(spec.roles && spec.method !== 'GET' ? [429] : [])];
  for (const status of errors) {
    if (status === 400 && !spec.params && !spec.query && !spec.body) continue;
    responses[String(status)] ??= { description: STANDARD_ERRORS[status] ?? 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  }
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    ...(spec.roles ? { security: [{ bearer: [] }], 'x-roles': [...spec.roles] } : { security: [] }),
    parameters: [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query')],
    ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(spec.body, 'input') } } } } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of every route in the table, schemas generated from the routes' zod schemas. */
export function buildOpenApiDocument(routes: readonly AnyRouteSpec[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of routes) {
    const path = openApiPath(spec.path);
    paths[path] ??= {};
    paths[path][spec.method.toLowerCase()] = operation(spec);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Holdfast routing server',
      version,
      description: 'Calls in from telephony, routing to agents, outreach, supervision and operations. Desktops also hold a socket.io connection (see shared/contract/server-socket.ts).',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A token from POST /api/auth/login, or the telephony key' },
      },
      schemas: { Error: toSchema(errorResponseSchema, 'output') },
    },
    paths,
  };
}

export function openApiRoutes(table: RouteTable, version: string) {
  let cached: JsonSchema | null = null;
  return [
    defineRoute({
      method: 'GET', path: '/api/openapi.json', operationId: 'openApi', tag: 'operations', roles: null,
      summary: 'This document',
      responses: { 200: { description: 'OpenAPI 3.1 document', schema: z.record(z.string(), z.unknown()) } },
      handler: async () => (cached ??= buildOpenApiDocument(table.routes(), version)),
    }),
  ];
}
